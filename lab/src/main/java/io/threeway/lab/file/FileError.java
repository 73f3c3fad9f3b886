package io.threeway.lab.file;

/**
 * A scenario file that cannot run: where (the file, the line, the path of keys to the value) and what was expected,
 * e.g. {@code my.yaml:12: links[0].rtt: not a duration: 50xs (e.g. 100ms, 1.5s, 250us)}.
 */
public final class FileError extends IllegalArgumentException {
    /** The line (from 1) the problem is on, or 0 for the file as a whole. */
    private final int line;

    public FileError(String file, int line, String path, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        this.line = line;
    }

    /** The line (from 1) the problem is on, or 0 for the file as a whole. */
    public int line() { return line; }
}
