package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.ScriptParser;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The packetdrill script parser ({@code ScriptParser}): any text, read as UTF-8 (malformed bytes replaced), parses
 * to a script or fails with a {@code ScriptException} that says where ({@code file:line:column: message});
 * nothing else escapes. The first byte picks the names defined for {@code #ifdef} (none, {@code Linux}, or both
 * {@code Linux} and {@code FreeBSD}).
 */
final class PacketdrillTarget implements FuzzTarget {
    @Override
    public String name() { return "packetdrill"; }

    @Override
    public String description() { return "packetdrill scripts (conformance ScriptParser)"; }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        Set<String> defines = switch (in.nextByte() % 3) {
            case 0 -> Set.of();
            case 1 -> Set.of("Linux");
            default -> Set.of("Linux", "FreeBSD");
        };
        String source = new String(in.rest(), StandardCharsets.UTF_8);
        try {
            Script script = ScriptParser.parse("fuzz.pkt", source, defines);
            check(script != null, "null script");
        } catch (ScriptException e) {
            check(e.getMessage().startsWith("fuzz.pkt:"), () -> "error without a position: " + e.getMessage());
        }
    }
}
