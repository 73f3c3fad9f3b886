package io.threeway.lab;

import java.util.List;

/**
 * A value the lab refuses, with the field it belongs to: the command line prints {@code --FIELD: REASON}, the
 * web lab shows the reason beside the field. One or more of them make an {@link OptionsException}.
 */
public final class OptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The field's name, as in {@link LabOption#name()} ({@code rtt}, {@code sysctl}, a scenario's parameter). */
    private final String field;
    /** Why, in one line that does not name the field. */
    private final String reason;

    public OptionException(String field, String reason) {
        super("--" + field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() { return field; }

    public String reason() { return reason; }

    /** Every problem found in one form, each with its field; the message is the first's ({@code --FIELD: REASON}). */
    public static final class OptionsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** The problems in the order of the fields. */
        private final transient List<OptionException> errors;

        public OptionsException(List<OptionException> errors) {
            super(errors.getFirst().getMessage());
            this.errors = List.copyOf(errors);
        }

        public List<OptionException> errors() { return errors; }
    }
}
