package io.threeway.cli;

import java.io.IOException;

/** Opens a URL in the desktop's browser where there is a desktop; says nothing when there is none. */
final class Browser {
    private Browser() {}

    static void open(String url, Terminal terminal) {
        boolean desktop = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        if (!desktop) return;
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            terminal.err().println("threeway: could not open a browser (" + e.getMessage() + "); open " + url);
        }
    }
}
