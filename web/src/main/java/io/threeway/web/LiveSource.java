package io.threeway.web;

import java.util.Map;

/**
 * A running stack the page can watch (live mode): what it has recorded so far, as a run's model, from event
 * {@code since} on. Implemented by {@link LiveRecorder} for {@code serve --ui}.
 */
public interface LiveSource {

    /** The model of everything recorded so far (bounded: the most recent packets), and the tools' view now. */
    Map<String, Object> snapshot();
}
