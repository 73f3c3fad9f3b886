package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The settings parser ({@code Sysctls.assign}, as {@code sysctl NAME=VALUE}, {@code --sysctl} and settings files
 * use it): every line of the input is one assignment. A bad one fails with an {@code IllegalArgumentException}
 * and a one-line reason, and leaves the value as it was; a good one shows a value that, set again, gives the same
 * values (what {@code sysctl} prints can be fed back).
 */
final class SysctlTarget implements FuzzTarget {
    @Override
    public String name() { return "sysctl"; }

    @Override
    public String description() { return "sysctl assignments NAME=VALUE (Sysctls.assign)"; }

    @Override
    public void fuzz(byte[] input) {
        Sysctls settings = new Sysctls();
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n");
        for (String line : Arrays.copyOf(lines, Math.min(lines.length, 64))) {
            int eq = line.indexOf('=');
            Sysctl s = eq < 0 ? null : Sysctl.byName(line.substring(0, eq).trim());
            String before = s == null ? null : settings.getString(s);
            try {
                settings.assign(line);
            } catch (IllegalArgumentException e) {
                check(e.getMessage() != null && e.getMessage().indexOf('\n') < 0, () -> "reason not one line: " + e.getMessage());
                check(s == null || settings.getString(s).equals(before), "a refused value changed the setting");
                continue;
            }
            check(s != null, () -> "accepted an assignment to no known setting: " + line);
            String shown = settings.getString(s);
            Sysctls again = new Sysctls().set(s, shown);
            check(again.getString(s).equals(shown), () -> s.sysctlName() + " shows '" + shown + "', which sets '"
                    + again.getString(s) + "'");
        }
    }
}
