package io.threeway.conformance.script;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayDeque;

/**
 * Parses packetdrill's script language as its grammar ({@code parser.y}) defines it, written here by hand over
 * the tokens of {@link Lexer}: {@code --option} lines, an optional init command (a backtick command before the
 * first event), the events, each a time followed by a packet, a system call, a backtick command or a
 * {@code %{ }%} block, and an optional cleanup command after the last event. Events, commands and code blocks
 * may span lines. Errors carry the file, line and column.
 *
 * <p>{@link #parse(String, String, Set)} is a pure function of its arguments (no I/O, no global state), so it
 * can be fuzzed: it returns a {@link Script} or throws {@link ScriptException}, nothing else.
 */
public final class ScriptParser {
    private final String file;
    private final String[] lines;
    private final Tokens t;

    private ScriptParser(String file, String source, List<Token> tokens) {
        this.file = file;
        this.lines = source.split("\n", -1);
        this.t = new Tokens(tokens);
    }

    public static Script parse(Path path, Set<String> defines) throws IOException {
        return parse(path.toString(), Files.readString(path), defines);
    }

    public static Script parse(String file, String source) {
        return parse(file, source, Set.of());
    }

    /**
     * Parses a script; {@code defines} are the names {@code #ifdef NAME} tests (packetdrill's {@code -D NAME});
     * lines in a branch not taken are dropped before parsing. A word the script defines with
     * {@code --define=NAME=VALUE} is replaced by its value, as packetdrill's lexer does.
     */
    public static Script parse(String file, String source, Set<String> defines) {
        String text = preprocess(file, source, defines);
        List<Token> tokens = Defines.substitute(Lexer.tokens(file, text));
        return new ScriptParser(file, text, tokens).script();
    }

    private Script script() {
        Map<String, String> options = new LinkedHashMap<>();
        while (t.at(Token.Kind.OPTION)) option(options, t.next().text());
        Script.Command init = null;
        if (t.at(Token.Kind.COMMAND)) init = command(t.next());
        List<Event> events = new ArrayList<>();
        Script.Command cleanup = null;
        while (!t.atEnd()) {
            if (t.at(Token.Kind.COMMAND) && t.peek(1).kind() == Token.Kind.EOF) {
                cleanup = command(t.next());
                break;
            }
            if (t.at(Token.Kind.OPTION)) throw t.error("options (--name=value) come before the first event");
            events.add(event());
        }
        return new Script(file, Map.copyOf(options), init, List.copyOf(events), cleanup);
    }

    private static void option(Map<String, String> options, String body) {
        int eq = body.indexOf('=');
        if (eq < 0) options.put(body, "");
        else options.put(body.substring(0, eq), body.substring(eq + 1));
    }

    private static Script.Command command(Token k) {
        return new Script.Command(k.pos(), k.text().strip());
    }

    private Event event() {
        SourcePos pos = t.peek().pos();
        String text = textAt(pos);
        EventTime time = time();
        if (t.at(Token.Kind.ELLIPSIS)) return blockingSyscall(pos, time, text);
        Token k = t.peek();
        Event e;
        if (k.is('<') || k.is('>')) e = PacketParser.packet(t, pos, time, text);
        else if (k.kind() == Token.Kind.COMMAND) e = new Event.Shell(pos, time, text, t.next().text().strip());
        else if (k.kind() == Token.Kind.CODE) e = new Event.Code(pos, time, text, t.next().text()); // line numbers kept
        else if (k.kind() == Token.Kind.WORD) e = ExprParser.syscall(t, pos, time, text);
        else throw t.error("expected a packet, a system call, a `command` or a %{ }% block");
        checkTime(e);
        return e;
    }

    /** parser.y's check: {@code *} and time ranges only on outbound packets. */
    private static void checkTime(Event e) {
        boolean outbound = e instanceof Event.Packet p && !p.inbound() || e instanceof Event.Icmp i && !i.inbound()
                || e instanceof Event.Udp u && !u.inbound();
        if (e.time().kind() == EventTime.Kind.ANY && !outbound) {
            throw new ScriptException(e.pos(), "event time <star> can only be used with outbound packets");
        }
        if (e.time().range() && !outbound) throw new ScriptException(e.pos(), "event time range can only be used with outbound packets");
    }

    /** {@code TIME ...END name(...)}: a system call expected to block until END. */
    private Event blockingSyscall(SourcePos pos, EventTime start, String text) {
        t.next();
        t.accept('+');
        long end = seconds();
        if (start.kind() != EventTime.Kind.ABSOLUTE && start.kind() != EventTime.Kind.RELATIVE) {
            throw new ScriptException(pos, "a blocking call's start must be one time, not a range or *");
        }
        EventTime time = new EventTime(start.relative() ? EventTime.Kind.BLOCKING_RELATIVE : EventTime.Kind.BLOCKING_ABSOLUTE,
                start.startUs(), end);
        if (!t.at(Token.Kind.WORD)) throw t.error("expected a system call after the '...' end time");
        return ExprParser.syscall(t, pos, time, text);
    }

    // ------------------------------------------------------------------------------------------------
    // Times

    private EventTime time() {
        if (t.accept('*')) return new EventTime(EventTime.Kind.ANY, 0, 0);
        boolean relative = t.accept('+');
        if (!t.at(Token.Kind.INTEGER) && !t.at(Token.Kind.FLOAT)) throw t.error("expected a time (such as 0.1, +0.1 or *)");
        long start = seconds();
        if (t.accept('~')) {
            t.accept('+');
            long end = seconds();
            if (end < start) throw new ScriptException(t.previous().pos(), "time range is backwards");
            return new EventTime(relative ? EventTime.Kind.RANGE_RELATIVE : EventTime.Kind.RANGE_ABSOLUTE, start, end);
        }
        return new EventTime(relative ? EventTime.Kind.RELATIVE : EventTime.Kind.ABSOLUTE, start, start);
    }

    /** Seconds as written ({@code 1}, {@code 0.25}, {@code .1}), in microseconds. */
    private long seconds() {
        Token k = t.peek();
        if (!t.at(Token.Kind.INTEGER) && !t.at(Token.Kind.FLOAT)) throw t.error("expected a time in seconds");
        t.next();
        if (k.text().startsWith("-")) throw new ScriptException(k.pos(), "negative time");
        try {
            return new BigDecimal(k.text()).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new ScriptException(k.pos(), "time out of range: " + k.text());
        }
    }

    /** The line an event starts on, without its comment, for reports. */
    private String textAt(SourcePos pos) {
        String line = pos.line() <= lines.length ? lines[pos.line() - 1] : "";
        return stripLineComment(line).trim();
    }

    // ------------------------------------------------------------------------------------------------
    // Preprocessing and comments

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
}
