package io.threeway.conformance.run;

import io.threeway.host.Stack;
import java.util.List;
import java.util.Map;

/**
 * The commands besides sysctls that the suites run to set the machine up, read for their effect on the runner's
 * device, the stack or its files: {@code ip tcp_metrics flush}, {@code ip route change ... advmss/initcwnd},
 * {@code tc qdisc}, {@code ethtool -K}, {@code dd ... of=FILE}, {@code rm FILE}.
 */
final class DeviceCommands {
    private DeviceCommands() {}

    static ShellReader.Outcome apply(ShellWords.Simple c, List<String> args, Stack stack, ScriptDevice device, Map<String, Long> files) {
        String name = c.name();
        String text = c.text();
        switch (name) {
            case "ip" -> {
                if (args.size() >= 2 && args.get(0).equals("tcp_metrics") && args.get(1).equals("flush")) {
                    // Linux keeps the Fast Open client cookies in tcp_metrics; the stack keeps no other per-destination metrics.
                    stack.clearFastOpenCookies();
                    return ok(text, "Fast Open cookie cache flushed");
                }
                if (args.contains("route")) return notApplied(text, "the stack has no per-route advmss, mtu lock or initcwnd");
                return notRun(text);
            }
            case "tc" -> {
                if (args.contains("pfifo")) {
                    device.qdisc = "pfifo";
                    int at = args.indexOf("limit");
                    device.dropsEverything = at >= 0 && at + 1 < args.size() && args.get(at + 1).equals("0");
                    return ok(text, device.dropsEverything ? "the device queue holds nothing: every packet is dropped"
                            : "the runner's device queue is a FIFO");
                }
                if (args.contains("delete") || args.contains("del")) {
                    device.dropsEverything = false;
                    return ok(text, "the queueing discipline is back to the device's FIFO");
                }
                if (args.contains("fq")) return notApplied(text, "fq's pacing is not modelled by the runner's device");
                return notRun(text);
            }
            case "ethtool" -> {
                if (args.size() >= 2 && args.get(0).equals("-K")) return offload(text, args, device);
                return notRun(text);
            }
            case "dd" -> {
                return dd(text, args, files);
            }
            case "rm", "/bin/rm" -> {
                for (String a : args) if (!a.startsWith("-")) files.remove(a);
                return ok(text, "file removed from the runner's files");
            }
            default -> {
                if (name.equals("/bin/dd")) return dd(text, args, files);
                return notRun(text);
            }
        }
    }

    /** {@code ethtool -K DEV gso off tso off}: whether the device takes super-segments. */
    private static ShellReader.Outcome offload(String text, List<String> args, ScriptDevice device) {
        for (int k = 2; k + 1 < args.size(); k += 2) {
            String feature = args.get(k);
            if (feature.equals("gso") || feature.equals("tso")) device.gso = args.get(k + 1).equals("on");
        }
        return ok(text, "device GSO/TSO " + (device.gso ? "on" : "off"));
    }

    /** {@code dd bs=N count=M if=/dev/zero of=FILE}: a file of N*M zero bytes in the runner's files. */
    private static ShellReader.Outcome dd(String text, List<String> args, Map<String, Long> files) {
        long bs = 512;
        long count = -1;
        String of = null;
        String in = null;
        for (String a : args) {
            if (a.startsWith("bs=")) bs = number(a.substring(3));
            else if (a.startsWith("count=")) count = number(a.substring(6));
            else if (a.startsWith("of=")) of = a.substring(3);
            else if (a.startsWith("if=")) in = a.substring(3);
        }
        if (of == null || count < 0 || bs < 0 || !"/dev/zero".equals(in)) return notRun(text);
        files.put(of, bs * count);
        return ok(text, of + " made with " + bs * count + " zero bytes (in the runner's files)");
    }

    /** A plain decimal count, or -1 (dd's suffixes such as 1k are not read). */
    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ShellReader.Outcome ok(String text, String what) {
        return new ShellReader.Outcome(true, text + ": " + what);
    }

    private static ShellReader.Outcome notApplied(String text, String why) {
        return new ShellReader.Outcome(false, text + ": not applied (" + why + ")");
    }

    private static ShellReader.Outcome notRun(String text) {
        return new ShellReader.Outcome(false, text + ": not run (shell commands are never executed)");
    }
}
