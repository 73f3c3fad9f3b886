package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use Threeway from Java" example, compiled from the README's own text and run in a JVM of its
 * own, so that it cannot go stale.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## Use Threeway from Java");
        assertTrue(section >= 0, "README has no 'Use Threeway from Java' section");
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(section), "no java block in the section");
        String source = m.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the example declares no public class");
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source);

        String cp = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-cp", cp, "-d", dir.toString(), "-Xlint:all", "-Werror", file.toString());
        assertEquals(0, rc, "the README example does not compile");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", cp + File.pathSeparator + dir, name.group(1))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.exitValue(), String.join("\n", out));
        assertTrue(out.get(0).matches("hello after \\d+ ms"), out.get(0));
        assertTrue(out.stream().anyMatch(l -> l.contains("198.18.0.1") && l.contains("Flags [S]")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.contains("198.18.0.2.80 >") && l.contains("length 6")), String.join("\n", out));
    }
}
