package io.threeway.conformance.run;

import io.threeway.host.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what a backtick command would do to the system under test and does that to the stack, executing
 * nothing: {@code sysctl} assignments (several per command, quoted vectors, {@code $((...))}, hex values,
 * {@code net/ipv4/x} spelling), {@code set_sysctls.py /proc/sys/net/ipv4/NAME=VALUE} and
 * {@code echo VALUE > /proc/sys/...}, the shell scripts the suite sources ({@code ../common/defaults.sh}, read
 * from beside the script and interpreted the same way), {@code ip tcp_metrics flush} (the Fast Open cookie cache),
 * {@code ethtool -K tun0 gso off} and {@code tc qdisc} (the runner's device), and {@code dd}/{@code rm} of a file a
 * later {@code open()} reads. Anything else is reported as not run.
 */
final class ShellReader {
    /** What became of one simple command. */
    record Outcome(boolean applied, String note) { }

    /** How deep sourced scripts may nest. */
    private static final int MAX_DEPTH = 3;
    private static final String PROC_SYS = "/proc/sys/";

    private final Stack stack;
    private final Path scriptDir;
    private final ScriptDevice device;
    private final Map<String, Long> files;

    /**
     * @param scriptDir the directory relative paths are read from (the script's own), or null
     * @param files the runner's files by path and size, which {@code dd} and {@code rm} change
     */
    ShellReader(Stack stack, Path scriptDir, ScriptDevice device, Map<String, Long> files) {
        this.stack = stack;
        this.scriptDir = scriptDir;
        this.device = device;
        this.files = files;
    }

    /** Reads every simple command of {@code command} in order. */
    List<Outcome> run(String command) {
        return run(command, 0);
    }

    private List<Outcome> run(String command, int depth) {
        List<Outcome> out = new ArrayList<>();
        for (ShellWords.Simple c : ShellWords.split(command)) out.addAll(one(c, depth));
        return out;
    }

    private List<Outcome> one(ShellWords.Simple c, int depth) {
        String name = c.name();
        String base = name.substring(name.lastIndexOf('/') + 1);
        List<String> args = c.words().subList(1, c.words().size());
        if (name.equals("sysctl")) return sysctl(args, c);
        if (base.equals("set_sysctls.py")) return procAssignments(args, c);
        if (name.equals("echo") && c.stdout() != null && c.stdout().startsWith(PROC_SYS)) {
            return List.of(assign(c.stdout().substring(PROC_SYS.length()), String.join(" ", args)));
        }
        if (name.startsWith("/tmp/sysctl_restore_")) {
            return List.of(new Outcome(true, c.text() + ": nothing to restore (each script runs on a new stack)"));
        }
        if (base.endsWith(".sh")) return source(name, c, depth);
        return List.of(DeviceCommands.apply(c, args, stack, device, files));
    }

    /** {@code sysctl [-q] [-w] [-e] name=value ...}. */
    private List<Outcome> sysctl(List<String> args, ShellWords.Simple c) {
        List<Outcome> out = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-")) continue;
            int eq = a.indexOf('=');
            if (eq < 0) {
                out.add(new Outcome(false, c.text() + ": reading " + a + " is not run"));
                continue;
            }
            out.add(assign(a.substring(0, eq).replace('/', '.'), a.substring(eq + 1)));
        }
        return out;
    }

    /** set_sysctls.py's {@code /proc/sys/net/ipv4/NAME=VALUE} arguments. */
    private List<Outcome> procAssignments(List<String> args, ShellWords.Simple c) {
        List<Outcome> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith(PROC_SYS) || eq < 0) {
                out.add(new Outcome(false, c.text() + ": '" + a + "' is not a /proc/sys assignment"));
                continue;
            }
            out.add(assign(a.substring(PROC_SYS.length(), eq), a.substring(eq + 1)));
        }
        return out;
    }

    private Outcome assign(String path, String value) {
        SysctlMapper.Mapping m = SysctlMapper.assign(path.replace('/', '.'), value.trim(), stack);
        return new Outcome(m.applied(), m.note());
    }

    /**
     * A symbolic link checked out as a plain file (git's mode 120000 where links are not made: the file holds the
     * target's path, relative to the link's directory), resolved; null for an ordinary script.
     */
    private static Path symlinkTarget(Path file, String text) {
        String t = text.strip();
        if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace) || !t.endsWith(".sh") || t.startsWith("/")) return null;
        Path target = file.getParent().resolve(t).normalize();
        return Files.isRegularFile(target) ? target : null;
    }

    /** A shell script the suite ships ({@code ../common/defaults.sh}), read beside the script and interpreted. */
    private List<Outcome> source(String path, ShellWords.Simple c, int depth) {
        if (scriptDir == null || path.startsWith("/")) {
            return List.of(new Outcome(false, c.text() + ": not run (only scripts beside the test script are read)"));
        }
        Path p = scriptDir.resolve(path).normalize();
        if (depth >= MAX_DEPTH) return List.of(new Outcome(false, c.text() + ": scripts nested too deep, not read"));
        try {
            String text = Files.readString(p);
            Path link = symlinkTarget(p, text);
            return link != null ? run(Files.readString(link), depth + 1) : run(text, depth + 1);
        } catch (IOException e) {
            return List.of(new Outcome(false, c.text() + ": not run (" + p + " cannot be read)"));
        }
    }
}
