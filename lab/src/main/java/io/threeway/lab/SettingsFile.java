package io.threeway.lab;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A settings file as {@code sysctl -p} reads it: one {@code name = value} a line; blank lines and lines starting
 * with {@code #} or {@code ;} are ignored.
 */
public final class SettingsFile {
    private SettingsFile() {}

    /**
     * Applies every line of {@code file} to {@code sysctls}. A bad line is reported to {@code errors} as
     * {@code FILE:LINE: reason} and skipped; the others still apply. Returns the settings applied, in file order.
     *
     * @throws IOException if the file cannot be read (the message names the file)
     */
    public static List<Sysctl> load(Path file, Sysctls sysctls, Consumer<String> errors) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read '" + file + "': no such file");
        } catch (IOException e) {
            throw new IOException("cannot read '" + file + "': " + e.getMessage());
        }
        List<Sysctl> applied = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            String where = file + ":" + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq < 0) {
                errors.accept(where + "expected 'name = value', got '" + line + "'");
                continue;
            }
            String name = line.substring(0, eq).strip();
            Sysctl s = Sysctl.byName(name);
            if (s == null) {
                errors.accept(where + "unknown setting '" + name + "'");
                continue;
            }
            try {
                sysctls.set(s, line.substring(eq + 1).strip());
                applied.add(s);
            } catch (IllegalArgumentException e) {
                errors.accept(where + e.getMessage());
            }
        }
        return applied;
    }

    /**
     * Checks one {@code name=value} as sysctl(8) would and returns it as {@code name=value} with the name in dots;
     * throws IllegalArgumentException with a one-line reason (a missing {@code =}, an unknown name, a bad value).
     */
    public static String checkAssignment(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("expected NAME=VALUE, got '" + text + "'");
        String name = text.substring(0, eq).strip();
        Sysctl s = Sysctl.byName(name);
        if (s == null) throw new IllegalArgumentException("unknown setting '" + name + "'");
        String value = text.substring(eq + 1).strip();
        new Sysctls().set(s, value); // throws with the reason if the value does not fit
        return s.sysctlName() + "=" + value;
    }

    /** Loads {@code file}, failing on the first bad line with IllegalArgumentException. */
    public static Sysctls loadStrict(Path file, Sysctls sysctls) throws IOException {
        List<String> problems = new ArrayList<>();
        load(file, sysctls, problems::add);
        if (!problems.isEmpty()) throw new IllegalArgumentException(problems.getFirst());
        return sysctls;
    }
}
