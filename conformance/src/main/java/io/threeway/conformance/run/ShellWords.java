package io.threeway.conformance.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a backtick command the way a POSIX shell would split it, without running anything: line continuations,
 * {@code #} comments, {@code ;}, {@code &&}, {@code ||} and newlines between simple commands, single and double
 * quotes, {@code $((...))} arithmetic, and redirections ({@code > file}, {@code 2>&1}, {@code &> /dev/null}).
 * Other expansions ({@code ${PPID}}) stay as written.
 */
final class ShellWords {
    /** One simple command: its words after quote removal, and the file its standard output goes to, or null. */
    record Simple(List<String> words, String stdout, String text) {
        String name() {
            return words.isEmpty() ? "" : words.get(0);
        }
    }

    private final String s;
    private int i;

    private ShellWords(String s) {
        this.s = s.replace("\\\r\n", " ").replace("\\\n", " ");
    }

    /** The simple commands of {@code command}, in order; empty ones (comments, blank lines) left out. */
    static List<Simple> split(String command) {
        return new ShellWords(command).all();
    }

    private List<Simple> all() {
        List<Simple> out = new ArrayList<>();
        while (i < s.length()) {
            int start = i;
            List<String> words = new ArrayList<>();
            String[] stdout = {null};
            while (i < s.length() && !atSeparator()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                } else if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') i++;
                } else if (isRedirect()) {
                    redirect(stdout);
                } else {
                    words.add(word());
                }
            }
            String text = s.substring(start, i).trim();
            skipSeparator();
            if (!words.isEmpty()) out.add(new Simple(List.copyOf(words), stdout[0], text));
        }
        return out;
    }

    private boolean atSeparator() {
        char c = s.charAt(i);
        return c == '\n' || c == ';' || s.startsWith("&&", i) || s.startsWith("||", i);
    }

    private void skipSeparator() {
        if (i >= s.length()) return;
        i += s.startsWith("&&", i) || s.startsWith("||", i) ? 2 : 1;
    }

    /** {@code >}, {@code >>}, {@code N>}, {@code &>} at the cursor. */
    private boolean isRedirect() {
        int k = i;
        if (s.charAt(k) == '&' && k + 1 < s.length() && s.charAt(k + 1) == '>') return true;
        while (k < s.length() && Character.isDigit(s.charAt(k))) k++;
        return k < s.length() && s.charAt(k) == '>' && (k == i || isWordStart(i));
    }

    private boolean isWordStart(int k) {
        return k == 0 || Character.isWhitespace(s.charAt(k - 1));
    }

    /** Reads a redirection; records where standard output goes ({@code >}, {@code 1>}, {@code &>}). */
    private void redirect(String[] stdout) {
        int fd = 1;
        boolean both = false;
        if (s.charAt(i) == '&') {
            both = true;
            i++;
        } else if (Character.isDigit(s.charAt(i))) {
            int k = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            fd = i - k > 3 ? -1 : Integer.parseInt(s.substring(k, i));
        }
        i++; // '>'
        if (i < s.length() && s.charAt(i) == '>') i++;
        if (i < s.length() && s.charAt(i) == '&') { // 2>&1: a duplication, no file
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            return;
        }
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        String target = i < s.length() && !atSeparator() ? word() : "";
        if (fd == 1 || both) stdout[0] = target;
    }

    /** One word: unquoted characters, '...' and "..." runs, and $((...)) arithmetic. */
    private String word() {
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ';' || c == '>' || s.startsWith("&&", i) || s.startsWith("||", i)) break;
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) end = s.length();
                b.append(s, i + 1, end);
                i = Math.min(s.length(), end + 1);
            } else if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.startsWith("$((", i)) b.append(arithmetic());
                    else if (s.charAt(i) == '\\' && i + 1 < s.length()) { b.append(s.charAt(i + 1)); i += 2; }
                    else b.append(s.charAt(i++));
                }
                if (i < s.length()) i++; // the closing quote, if there is one
            } else if (s.startsWith("$((", i)) {
                b.append(arithmetic());
            } else if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(i + 1));
                i += 2;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** {@code $((expr))} with integers, + - * / % and parentheses; left as written if it is anything else. */
    private String arithmetic() {
        int end = s.indexOf("))", i + 3);
        if (end < 0) {
            String rest = s.substring(i);
            i = s.length();
            return rest;
        }
        String expr = s.substring(i + 3, end);
        i = end + 2;
        Long v = Arithmetic.eval(expr);
        return v == null ? "$((" + expr + "))" : Long.toString(v);
    }
}
