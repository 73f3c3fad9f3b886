package io.threeway.wire;

import java.util.List;

/**
 * Where a TCP sender puts its options: their order, the NOP padding that aligns each one, and how the option
 * area is closed. Stacks differ, and tcpdump lines and packetdrill scripts show the difference byte for
 * byte, so the layout is data: a list of {@link Placement}s tried in order, plus a closing {@link Padding}.
 *
 * <p>A placement puts its option when the segment carries it and it has not been placed yet, first adding
 * NOPs until the option's offset within the option area is {@code residue} modulo {@code modulus}; a
 * placement may apply only when another option is also present. An option that does not fit in the
 * 40 bytes left (RFC 9293 §3.1) is left out; a SACK option keeps as many blocks as fit (RFC 2018 §3).
 *
 * <p>{@link #LINUX} follows tcp_options_write in net/ipv4/tcp_output.c: every option starts a 32-bit word
 * or is NOP-padded to end one, with SACK-permitted sharing a word with the timestamps' kind and length:
 * <pre>
 *   SYN, all options      mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7       (20 bytes)
 *   SYN, no timestamps    mss 1460,nop,nop,sackOK,nop,wscale 7              (12 bytes)
 *   SYN, no SACK          mss 1460,nop,nop,TS val 1 ecr 0,nop,wscale 7      (20 bytes)
 *   SYN, mss and wscale   mss 1460,nop,wscale 7                             (8 bytes)
 *   ACK with timestamps   nop,nop,TS val 9 ecr 8                            (12 bytes)
 *   ACK with SACK         nop,nop,TS val 9 ecr 8,nop,nop,sack 1 {a:b}       (24 bytes)
 *   Fast Open             ...,tfo cookie 0102030405060708,nop,nop           (kind 34 last, NOP-padded)
 * </pre>
 * {@link #FREEBSD} follows tcp_addoptions in sys/netinet/tcp_output.c: options in the order MSS, window
 * scale, SACK-permitted, timestamps, SACK, Fast Open, each aligned to its own rule, and the area closed
 * with EOL then zeros: {@code mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0}.
 */
public final class OptionLayout {

    /** The options a layout places. Fast Open is kind 34, or 254 with magic 0xF989 when experimental. */
    public enum Option { MSS, WINDOW_SCALE, SACK_PERMITTED, TIMESTAMPS, SACK, FAST_OPEN }

    /** How the option area is brought to a multiple of 4 bytes after the last option. */
    public enum Padding {
        /** NOPs (Linux). */
        NOP,
        /** One EOL, then zero bytes (BSD; RFC 9293 §3.1 "the padding is composed of zeros"). */
        EOL_THEN_ZEROS
    }

    /**
     * Put {@code option} at an offset that is {@code residue} modulo {@code modulus} (NOP-padded), if the
     * segment carries it and, when {@code onlyWith} is not null, also carries {@code onlyWith}.
     */
    public record Placement(Option option, int modulus, int residue, Option onlyWith) {
        public Placement {
            if (modulus < 1 || residue < 0 || residue >= modulus) throw new IllegalArgumentException("bad alignment " + residue + " mod " + modulus);
        }

        public static Placement of(Option option, int modulus, int residue) {
            return new Placement(option, modulus, residue, null);
        }

        public Placement onlyWith(Option other) {
            return new Placement(option, modulus, residue, other);
        }
    }

    /** Linux's tcp_options_write. */
    public static final OptionLayout LINUX = new OptionLayout("linux", Padding.NOP, List.of(
            Placement.of(Option.MSS, 4, 0),
            Placement.of(Option.SACK_PERMITTED, 4, 0).onlyWith(Option.TIMESTAMPS),
            Placement.of(Option.TIMESTAMPS, 4, 2),
            Placement.of(Option.SACK_PERMITTED, 4, 2),
            Placement.of(Option.WINDOW_SCALE, 4, 1),
            Placement.of(Option.SACK, 4, 2),
            Placement.of(Option.FAST_OPEN, 4, 0)));

    /** FreeBSD's tcp_addoptions. */
    public static final OptionLayout FREEBSD = new OptionLayout("freebsd", Padding.EOL_THEN_ZEROS, List.of(
            Placement.of(Option.MSS, 4, 0),
            Placement.of(Option.WINDOW_SCALE, 2, 1),
            Placement.of(Option.SACK_PERMITTED, 2, 0),
            Placement.of(Option.TIMESTAMPS, 4, 2),
            Placement.of(Option.SACK, 4, 2),
            Placement.of(Option.FAST_OPEN, 1, 0)));

    /** Option area limit: 60-byte header maximum minus the 20 fixed bytes. */
    public static final int MAX_LENGTH = 40;

    private final String name;
    private final Padding padding;
    private final List<Placement> placements;
    // The placements unpacked into arrays for the per-segment path.
    private final Option[] option;
    private final int[] modulus;
    private final int[] residue;
    private final Option[] onlyWith;

    public OptionLayout(String name, Padding padding, List<Placement> placements) {
        this.name = name;
        this.padding = padding;
        this.placements = List.copyOf(placements);
        int n = this.placements.size();
        option = new Option[n];
        modulus = new int[n];
        residue = new int[n];
        onlyWith = new Option[n];
        for (int i = 0; i < n; i++) {
            Placement p = this.placements.get(i);
            option[i] = p.option();
            modulus[i] = p.modulus();
            residue[i] = p.residue();
            onlyWith[i] = p.onlyWith();
        }
    }

    public String name() { return name; }

    public Padding padding() { return padding; }

    public List<Placement> placements() { return placements; }

    /** Bytes of option area (a multiple of 4, at most 40) that {@link #write} produces for {@code o}. */
    public int length(TcpOptions o) {
        return encode(o, null, 0);
    }

    /** Writes the option area for {@code o} at {@code b[off]}; returns its length, as {@link #length}. */
    public int write(TcpOptions o, byte[] b, int off) {
        return encode(o, b, off);
    }

    /** The one walk behind both length and write, so they cannot disagree. {@code b == null} measures. */
    private int encode(TcpOptions o, byte[] b, int off) {
        int placed = 0;
        int pos = 0;
        for (int i = 0; i < option.length; i++) {
            Option opt = option[i];
            int bit = 1 << opt.ordinal();
            if ((placed & bit) != 0 || !carries(o, opt) || (onlyWith[i] != null && !carries(o, onlyWith[i]))) continue;
            int pad = Math.floorMod(residue[i] - pos, modulus[i]);
            int room = MAX_LENGTH - pos - pad;
            int size = size(o, opt, room);
            if (size == 0) continue;
            if (b != null) {
                for (int k = 0; k < pad; k++) b[off + pos + k] = TcpOptions.KIND_NOP;
                put(o, opt, size, b, off + pos + pad);
            }
            pos += pad + size;
            placed |= bit;
        }
        int end = (pos + 3) & ~3;
        if (b != null && end > pos) {
            if (padding == Padding.NOP) {
                for (int k = pos; k < end; k++) b[off + k] = TcpOptions.KIND_NOP;
            } else {
                b[off + pos] = TcpOptions.KIND_EOL;
                for (int k = pos + 1; k < end; k++) b[off + k] = 0;
            }
        }
        return end;
    }

    private static boolean carries(TcpOptions o, Option opt) {
        return switch (opt) {
            case MSS -> o.mss >= 0;
            case WINDOW_SCALE -> o.windowScale >= 0;
            case SACK_PERMITTED -> o.sackPermitted;
            case TIMESTAMPS -> o.timestamps;
            case SACK -> o.sackBlocks > 0;
            case FAST_OPEN -> o.fastOpen;
        };
    }

    /** Bytes {@code opt} takes with {@code room} bytes left, or 0 if it does not fit. */
    private static int size(TcpOptions o, Option opt, int room) {
        int size = switch (opt) {
            case MSS -> 4;
            case WINDOW_SCALE -> 3;
            case SACK_PERMITTED -> 2;
            case TIMESTAMPS -> 10;
            case SACK -> 2 + 8 * Math.min(Math.min(o.sackBlocks, TcpOptions.MAX_SACK_BLOCKS), Math.max(0, (room - 2) / 8));
            case FAST_OPEN -> (o.fastOpenExperimental ? 4 : 2) + cookieLength(o);
        };
        if (opt == Option.SACK && size == 2) return 0;
        return size <= room ? size : 0;
    }

    private static int cookieLength(TcpOptions o) {
        return Math.clamp(o.fastOpenCookieLength, 0, TcpOptions.MAX_FASTOPEN_COOKIE);
    }

    private static void put(TcpOptions o, Option opt, int size, byte[] b, int p) {
        switch (opt) {
            case MSS -> {
                b[p] = TcpOptions.KIND_MSS;
                b[p + 1] = 4;
                Bytes.putU16(b, p + 2, o.mss);
            }
            case WINDOW_SCALE -> {
                b[p] = TcpOptions.KIND_WSCALE;
                b[p + 1] = 3;
                b[p + 2] = (byte) o.windowScale;
            }
            case SACK_PERMITTED -> {
                b[p] = TcpOptions.KIND_SACK_PERMITTED;
                b[p + 1] = 2;
            }
            case TIMESTAMPS -> {
                b[p] = TcpOptions.KIND_TIMESTAMP;
                b[p + 1] = 10;
                Bytes.putInt(b, p + 2, o.tsVal);
                Bytes.putInt(b, p + 6, o.tsEcr);
            }
            case SACK -> {
                b[p] = TcpOptions.KIND_SACK;
                b[p + 1] = (byte) size;
                for (int i = 0, q = p + 2; q < p + size; i++, q += 8) {
                    Bytes.putInt(b, q, o.sackLeft[i]);
                    Bytes.putInt(b, q + 4, o.sackRight[i]);
                }
            }
            case FAST_OPEN -> {
                int q = p;
                if (o.fastOpenExperimental) {
                    b[q++] = (byte) TcpOptions.KIND_EXPERIMENTAL;
                    b[q++] = (byte) size;
                    Bytes.putU16(b, q, TcpOptions.FASTOPEN_EXP_MAGIC);
                    q += 2;
                } else {
                    b[q++] = TcpOptions.KIND_FASTOPEN;
                    b[q++] = (byte) size;
                }
                System.arraycopy(o.fastOpenCookie, 0, b, q, cookieLength(o));
            }
        }
    }

    @Override
    public String toString() {
        return "OptionLayout[" + name + "]";
    }
}
