package io.threeway.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Threeway source tree a command runs from: the current directory or the one the CLI's jar was built in. */
final class ProjectTree {
    private ProjectTree() {}

    /** The project's root, or null when neither the current directory nor the jar's location is inside one. */
    static Path find() {
        Path here = Path.of("").toAbsolutePath();
        Path found = upward(here);
        if (found != null) return found;
        try {
            Path jar = Path.of(ProjectTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return upward(jar);
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Path upward(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("threeway")) && Files.isDirectory(p.resolve("fuzz/src"))) return p;
        }
        return null;
    }
}
