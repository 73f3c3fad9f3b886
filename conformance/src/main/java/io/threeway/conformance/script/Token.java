package io.threeway.conformance.script;

/**
 * One token of a script, as packetdrill's lexer ({@code lexer.l}) cuts them: its kind, its text as written
 * (without the delimiters of strings, commands and code blocks) and where it starts.
 *
 * @param kind what sort of token
 * @param text the characters; for {@link Kind#OPTION} the option's name, for {@link Kind#STRING},
 *        {@link Kind#COMMAND} and {@link Kind#CODE} what lies between the delimiters
 * @param value the integer value of {@link Kind#INTEGER} and {@link Kind#HEX}, else 0
 * @param pos where the token starts
 */
public record Token(Kind kind, String text, long value, SourcePos pos) {

    /** The token kinds: packetdrill's terminals, keywords being words the parser reads by context. */
    public enum Kind {
        /** {@code --name} or {@code --name=value}: a command-line option written in the script. */
        OPTION,
        /** A decimal integer, possibly negative. */
        INTEGER,
        /** {@code 0x...}. */
        HEX,
        /** {@code 1.5}, {@code .1}: seconds, or the ACE flags' digit after a dot. */
        FLOAT,
        /** Letters, digits and underscores ({@code S}, {@code socket}, {@code abcd1234}). */
        WORD,
        /** {@code "text"}. */
        STRING,
        /** {@code `command`}: a shell command, possibly over several lines. */
        COMMAND,
        /** {@code %{ code }%}: Python, possibly over several lines. */
        CODE,
        /** {@code ...}. */
        ELLIPSIS,
        /** {@code 192.0.2.1}. */
        IPV4,
        /** Any other single character ({@code < > : ( ) [ ] { } , = | + * ~ . -}). */
        CHAR,
        /** The end of the script. */
        EOF
    }

    /** Whether this is the single character {@code c}. */
    public boolean is(char c) {
        return kind == Kind.CHAR && text.length() == 1 && text.charAt(0) == c;
    }

    /** Whether this is the word {@code w} (keywords are words read by context). */
    public boolean isWord(String w) {
        return kind == Kind.WORD && text.equals(w);
    }

    /** The token as a person would recognise it in an error message. */
    public String describe() {
        return switch (kind) {
            case EOF -> "the end of the script";
            case STRING -> "\"" + text + "\"";
            case COMMAND -> "a `command`";
            case CODE -> "a %{ }% block";
            case OPTION -> "--" + text;
            default -> "'" + text + "'";
        };
    }
}
