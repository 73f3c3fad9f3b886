package io.threeway.conformance.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayDeque;

/**
 * Parses packetdrill's script language (the grammar of packetdrill's parser.y, written here by hand): option
 * lines, comments ({@code //} and {@code /* *}{@code /}), and events, one a line, each a time followed by a
 * packet, a system call, a backtick shell command or a {@code %{ }%} code block. Errors carry the file,
 * line and column.
 */
public final class ScriptParser {
    private final String file;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();

    private ScriptParser(String file) {
        this.file = file;
    }

    public static Script parse(Path path, Set<String> defines) throws IOException {
        return parse(path.toString(), Files.readString(path), defines);
    }

    public static Script parse(String file, String source) {
        return parse(file, source, Set.of());
    }

    /**
     * Parses a script; {@code defines} are the names {@code #ifdef NAME} tests (packetdrill's
     * {@code -D NAME}); lines in a branch not taken are dropped before parsing.
     */
    public static Script parse(String file, String source, Set<String> defines) {
        ScriptParser p = new ScriptParser(file);
        p.parseAll(preprocess(file, stripBlockComments(source), defines));
        return new Script(file, Map.copyOf(p.options), List.copyOf(p.events));
    }

    /** {@code #ifdef NAME}, {@code #ifndef NAME}, {@code #else}, {@code #endif}: blanks the lines not taken. */
    static String preprocess(String file, String source, Set<String> defines) {
        String[] lines = source.split("\n", -1);
        ArrayDeque<boolean[]> stack = new ArrayDeque<>(); // {this branch taken, parent active}
        boolean active = true;
        for (int n = 0; n < lines.length; n++) {
            String t = lines[n].trim();
            if (t.startsWith("#ifdef ") || t.startsWith("#ifndef ")) {
                boolean defined = defines.contains(t.substring(t.indexOf(' ') + 1).trim());
                boolean taken = t.startsWith("#ifdef ") == defined;
                stack.push(new boolean[] {taken, active});
                active = active && taken;
                lines[n] = "";
            } else if (t.equals("#else")) {
                if (stack.isEmpty()) throw new ScriptException(new SourcePos(file, n + 1, 1), "#else without #ifdef");
                boolean[] top = stack.peek();
                top[0] = !top[0];
                active = top[1] && top[0];
                lines[n] = "";
            } else if (t.equals("#endif")) {
                if (stack.isEmpty()) throw new ScriptException(new SourcePos(file, n + 1, 1), "#endif without #ifdef");
                active = stack.pop()[1];
                lines[n] = "";
            } else if (!active) {
                lines[n] = "";
            }
        }
        if (!stack.isEmpty()) throw new ScriptException(new SourcePos(file, lines.length, 1), "#ifdef without #endif");
        return String.join("\n", lines);
    }

    private void parseAll(String source) {
        String[] lines = source.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = stripLineComment(lines[n]);
            if (line.isBlank()) continue;
            Cursor c = new Cursor(file, n + 1, line);
            if (c.lookingAt("--")) {
                option(c);
                continue;
            }
            if (c.lookingAt("%{")) {
                // A code block with no time of its own (packetdrill runs these at the end).
                n = codeBlock(lines, n, c, new EventTime(EventTime.Kind.RELATIVE, 0, 0));
                continue;
            }
            EventTime time = time(c);
            if (c.lookingAt("%{")) {
                n = codeBlock(lines, n, c, time);
                continue;
            }
            events.add(event(c, time));
        }
    }

    private void option(Cursor c) {
        c.expect("--");
        String body = c.rest();
        int eq = body.indexOf('=');
        if (eq < 0) options.put(body, "");
        else options.put(body.substring(0, eq).trim(), body.substring(eq + 1).trim());
    }

    private int codeBlock(String[] lines, int n, Cursor c, EventTime time) {
        SourcePos pos = c.pos();
        StringBuilder code = new StringBuilder();
        int line = n;
        String first = c.rest().substring(2);
        String rest = first;
        while (true) {
            int end = rest.indexOf("}%");
            if (end >= 0) {
                code.append(rest, 0, end);
                break;
            }
            code.append(rest).append('\n');
            line++;
            if (line >= lines.length) throw new ScriptException(pos, "unterminated %{ block");
            rest = lines[line];
        }
        events.add(new Event.Code(pos, time, "%{ ... }%", code.toString().strip()));
        return line;
    }

    // ------------------------------------------------------------------------------------------------
    // Times

    private EventTime time(Cursor c) {
        if (c.accept("*")) return new EventTime(EventTime.Kind.ANY, 0, 0);
        boolean relative = c.accept("+");
        if (!c.atNumber()) throw c.error("expected a time (such as 0.1, +0.1 or *)" + c.found());
        long start = c.seconds();
        if (c.accept("...")) {
            c.accept("+");
            long end = c.seconds();
            return new EventTime(relative ? EventTime.Kind.BLOCKING_RELATIVE : EventTime.Kind.BLOCKING_ABSOLUTE, start, end);
        }
        if (c.accept("~")) {
            c.accept("+");
            long end = c.seconds();
            if (end < start) throw c.error("a time range must not end before it starts");
            return new EventTime(relative ? EventTime.Kind.RANGE_RELATIVE : EventTime.Kind.RANGE_ABSOLUTE, start, end);
        }
        return new EventTime(relative ? EventTime.Kind.RELATIVE : EventTime.Kind.ABSOLUTE, start, start);
    }

    // ------------------------------------------------------------------------------------------------
    // Events

    private Event event(Cursor c, EventTime time) {
        SourcePos pos = c.pos();
        String text = c.text().trim();
        char first = c.peek();
        if (first == '`') {
            c.expect("`");
            String command = c.until('`');
            if (!c.atEnd()) throw c.error("unexpected text after the command" + c.found());
            return new Event.Shell(pos, time, text, command.trim());
        }
        if (first == '<' || first == '>') {
            c.expect(String.valueOf(first));
            return packet(c, pos, time, text, first == '<');
        }
        if (c.atIdentifier()) return syscall(c, pos, time, text);
        throw c.error("expected a packet, a system call or a `command`" + c.found());
    }

    private Event packet(Cursor c, SourcePos pos, EventTime time, String text, boolean inbound) {
        String ecn = null;
        if (c.accept("[")) ecn = c.until(']').trim();
        if (c.lookingAt("icmp")) {
            c.identifier();
            List<String> words = new ArrayList<>();
            while (!c.atEnd()) words.add(c.word(""));
            return new Event.Icmp(pos, time, text, inbound, words);
        }
        String flags = c.word("");
        if (flags.isEmpty()) throw c.error("expected TCP flags");
        for (char f : flags.toCharArray()) {
            if (TcpSpec.FLAG_LETTERS.indexOf(f) < 0) {
                throw c.error("unknown TCP flag '" + f + "' in '" + flags + "' (flags are " + TcpSpec.FLAG_LETTERS + ")");
            }
        }
        // start:end(len), or ...(len) on an outbound line: any sequence number (a new connection's unknown ISN).
        boolean anySeq = c.accept("...");
        long start = anySeq ? 0 : c.integer();
        long end = start;
        if (!anySeq) {
            c.expect(":");
            end = c.integer();
        } else if (inbound) {
            throw c.error("'...' as a sequence number only on an outbound packet, which it lets have any");
        }
        c.expect("(");
        long len = c.integer();
        c.expect(")");
        if (anySeq) end = start + len;
        if (end - start != len) throw c.error("sequence range " + start + ":" + end + " does not hold " + len + " bytes");
        Long ack = null;
        Integer win = null;
        Integer urg = null;
        List<TcpOption> options = List.of();
        while (!c.atEnd()) {
            if (c.accept("<")) {
                options = optionList(c);
                continue;
            }
            String key = c.identifier();
            switch (key) {
                case "ack" -> ack = c.integer();
                case "win" -> win = (int) c.integer();
                case "urg" -> urg = (int) c.integer();
                default -> throw c.error("unexpected '" + key + "' in a packet (expected ack, win, urg or <options>)");
            }
        }
        return new Event.Packet(pos, time, text, inbound, new TcpSpec(flags, anySeq, start, end, (int) len, ack, win, urg, options, ecn));
    }

    /** The option list after '<': returns null for {@code <...>}. */
    private List<TcpOption> optionList(Cursor c) {
        if (c.accept("...")) {
            c.expect(">");
            return null;
        }
        List<TcpOption> out = new ArrayList<>();
        if (c.accept(">")) return out;
        do {
            out.add(tcpOption(c));
        } while (c.accept(","));
        c.expect(">");
        return out;
    }

    private TcpOption tcpOption(Cursor c) {
        SourcePos pos = c.pos();
        String name = c.identifier();
        return switch (name) {
            case "nop" -> new TcpOption.Nop();
            case "eol" -> new TcpOption.Eol();
            case "mss" -> new TcpOption.Mss((int) c.integer());
            case "wscale" -> new TcpOption.WindowScale((int) c.integer());
            case "sackOK" -> new TcpOption.SackPermitted();
            case "sack" -> {
                List<long[]> blocks = new ArrayList<>();
                while (c.atNumber()) {
                    long l = c.integer();
                    c.expect(":");
                    blocks.add(new long[] {l, c.integer()});
                }
                yield new TcpOption.Sack(blocks);
            }
            case "TS" -> {
                if (!c.identifier().equals("val")) throw c.error("expected 'val' after TS");
                long val = c.integer();
                if (!c.identifier().equals("ecr")) throw c.error("expected 'ecr'");
                yield new TcpOption.Timestamp(val, c.integer());
            }
            case "FO", "FOEXP" -> {
                String hex = c.peek() == ',' || c.peek() == '>' ? "" : c.word(",>");
                try {
                    yield new TcpOption.FastOpen(HexFormat.of().parseHex(hex), name.equals("FOEXP"));
                } catch (IllegalArgumentException e) {
                    throw c.error("bad Fast Open cookie '" + hex + "' (even number of hex digits)");
                }
            }
            default -> throw new ScriptException(pos, "unknown TCP option '" + name + "'");
        };
    }

    private Event syscall(Cursor c, SourcePos pos, EventTime time, String text) {
        String name = c.identifier();
        c.expect("(");
        List<Expr> args = new ArrayList<>();
        if (!c.accept(")")) {
            do {
                args.add(expr(c));
            } while (c.accept(","));
            c.expect(")");
        }
        c.expect("=");
        Expr result = expr(c);
        String errno = null;
        String note = null;
        if (c.atIdentifier()) errno = c.identifier();
        if (c.accept("(")) note = c.until(')').trim();
        if (!c.atEnd()) throw c.error("unexpected text after the system call" + c.found());
        return new Event.Syscall(pos, time, text, name, List.copyOf(args), result, errno, note);
    }

    private Expr expr(Cursor c) {
        SourcePos pos = c.pos();
        Expr first = primary(c);
        if (c.peek() != '|') return first;
        List<Expr> terms = new ArrayList<>(List.of(first));
        while (c.accept("|")) terms.add(primary(c));
        return new Expr.Or(pos, List.copyOf(terms));
    }

    private Expr primary(Cursor c) {
        SourcePos pos = c.pos();
        if (c.accept("...")) return new Expr.Ellipsis(pos);
        if (c.accept("-")) return new Expr.Num(pos, -c.integer());
        if (c.atNumber()) return new Expr.Num(pos, c.integer());
        if (c.accept("\"")) return new Expr.Str(pos, c.until('"'));
        if (c.accept("[")) {
            List<Expr> elements = new ArrayList<>();
            if (!c.accept("]")) {
                do {
                    elements.add(expr(c));
                } while (c.accept(","));
                c.expect("]");
            }
            return new Expr.Array(pos, List.copyOf(elements));
        }
        if (c.accept("{")) {
            List<Expr.Field> fields = new ArrayList<>();
            if (!c.accept("}")) {
                do {
                    String name = c.identifier();
                    c.expect("=");
                    fields.add(new Expr.Field(name, expr(c)));
                } while (c.accept(","));
                c.expect("}");
            }
            return new Expr.Struct(pos, List.copyOf(fields));
        }
        if (c.atIdentifier()) return new Expr.Sym(pos, c.identifier());
        throw c.error("expected an expression" + c.found());
    }

    // ------------------------------------------------------------------------------------------------
    // Comments

    /** Drops a {@code //} comment, unless it is inside a backtick command or a string. */
    static String stripLineComment(String line) {
        boolean quoted = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == quote) quoted = false;
            } else if (ch == '`' || ch == '"') {
                quoted = true;
                quote = ch;
            } else if (ch == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Blanks {@code /* ... *}{@code /} comments, keeping newlines so line numbers stay right. */
    static String stripBlockComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                int stop = end < 0 ? s.length() : end + 2;
                for (int k = i; k < stop; k++) b.append(s.charAt(k) == '\n' ? '\n' : ' ');
                i = stop;
            } else if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                int stop = end < 0 ? s.length() : end;
                b.append(s, i, stop);
                i = stop;
            } else {
                b.append(s.charAt(i++));
            }
        }
        return b.toString();
    }
}
