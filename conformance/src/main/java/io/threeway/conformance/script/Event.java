package io.threeway.conformance.script;

import java.util.List;

/** One line (or block) of a script that happens at a time. */
public sealed interface Event {
    SourcePos pos();
    EventTime time();
    /** The line as written, for reports. */
    String text();

    /** {@code < ...} (the script sends to the stack) or {@code > ...} (the stack must send). */
    record Packet(SourcePos pos, EventTime time, String text, boolean inbound, TcpSpec tcp) implements Event { }

    /** {@code < icmp unreachable ...}: an ICMP message; the words after {@code icmp} are kept as written. */
    record Icmp(SourcePos pos, EventTime time, String text, boolean inbound, List<String> words) implements Event { }

    /**
     * {@code connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}: a system call, its arguments,
     * the result it must return and, for -1, the errno name it must fail with.
     */
    record Syscall(SourcePos pos, EventTime time, String text, String name, List<Expr> args, Expr result,
                   String errno, String note) implements Event { }

    /** A backtick line: a shell command the runner never executes. */
    record Shell(SourcePos pos, EventTime time, String text, String command) implements Event { }

    /** A {@code %{ ... }%} block of Python; never executed. */
    record Code(SourcePos pos, EventTime time, String text, String code) implements Event { }
}
