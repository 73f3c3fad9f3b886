package io.threeway.cli;

import io.threeway.lab.record.Endpoint;
import io.threeway.lab.record.Recording;
import io.threeway.lab.record.RunRecorder;
import io.threeway.lab.record.SeriesPoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import io.threeway.wire.FourTuple;

/**
 * {@code --series FILE}: each connection end's figures at every change, as CSV (one row per change) or, for a
 * name ending in {@code .json}, as JSON ({@code {"scenario-variant": [{"host", "local", "remote", "points":
 * [{...}]}]}}). Times in seconds, RTTs in milliseconds, windows and queues in bytes; ssthresh is empty (null)
 * while it is infinite, SRTT before the first RTT sample.
 */
final class SeriesFile {
    /** The CSV's columns. */
    static final String HEADER = "variant,host,local,remote,time_s,state,cwnd,ssthresh,in_flight,srtt_ms,rto_ms,"
            + "advertised_window,peer_window,recv_q,send_q";

    private SeriesFile() {}

    /** Fails before the run when the file cannot be written. */
    static void checkWritable(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IOException("cannot write " + file + ": " + dir + " is not a directory");
    }

    static void write(Path file, RunRecorder rec, Terminal terminal) throws IOException {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (json) JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(w, json(rec));
            else csv(w, rec);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        for (Recording r : rec.recordings()) {
            if (r.packetsTruncated()) terminal.err().println("threeway: --series: " + rec.overLimit() + "; the series is whole");
        }
    }

    private static void csv(Writer w, RunRecorder rec) throws IOException {
        w.write(HEADER + "\n");
        for (Recording r : rec.recordings()) {
            List<Endpoint> eps = r.endpoints();
            for (SeriesPoint p : r.series()) {
                Endpoint e = eps.get(p.endpoint());
                w.write(String.join(",", r.variant(), e.host(), endpoint(e, true), endpoint(e, false),
                        String.format(Locale.ROOT, "%.9f", p.time() / 1e9), p.state().rfcName(), Long.toString(p.cwnd()),
                        p.ssthresh() < 0 ? "" : Long.toString(p.ssthresh()), Long.toString(p.inFlight()), p.srtt() < 0 ? "" : ms(p.srtt()),
                        ms(p.rto()), Long.toString(p.advertised()), Long.toString(p.peerWindow()),
                        Long.toString(p.recvQ()), Long.toString(p.sendQ())) + "\n");
            }
        }
    }

    private static Map<String, Object> json(RunRecorder rec) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Recording r : rec.recordings()) {
            List<Object> ends = new ArrayList<>();
            for (Endpoint e : r.endpoints()) {
                List<Object> points = new ArrayList<>();
                for (SeriesPoint p : r.series()) {
                    if (p.endpoint() != e.id()) continue;
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("time_s", p.time() / 1e9);
                    o.put("state", p.state().rfcName());
                    o.put("cwnd", p.cwnd());
                    o.put("ssthresh", p.ssthresh() < 0 ? null : p.ssthresh());
                    o.put("in_flight", p.inFlight());
                    o.put("srtt_ms", p.srtt() < 0 ? null : p.srtt() / 1e6);
                    o.put("rto_ms", p.rto() / 1e6);
                    o.put("advertised_window", p.advertised());
                    o.put("peer_window", p.peerWindow());
                    o.put("recv_q", p.recvQ());
                    o.put("send_q", p.sendQ());
                    points.add(o);
                }
                ends.add(Map.of("host", e.host(), "local", endpoint(e, true), "remote", endpoint(e, false), "points", points));
            }
            out.put(r.variant(), ends);
        }
        return out;
    }

    private static String endpoint(Endpoint e, boolean local) {
        return local ? FourTuple.endpoint(e.tuple().localAddress(), e.tuple().localPort())
                : FourTuple.endpoint(e.tuple().remoteAddress(), e.tuple().remotePort());
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
