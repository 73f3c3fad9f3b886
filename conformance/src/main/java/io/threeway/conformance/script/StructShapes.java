package io.threeway.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The structs packetdrill's grammar spells out field by field (parser.y's {@code msghdr}, {@code pollfd},
 * {@code epollev}, {@code linger}, {@code sockaddr}, {@code cmsg_expr}, {@code scm_timestamping_expr},
 * {@code sock_extended_err_expr}): a brace list whose first member is one of their field names must have
 * exactly their members, in their order. Other brace lists ({@code {..., 1000}} for an iovec) are free.
 */
final class StructShapes {
    /** One shape: its name for messages, its members in order, and how many of the last ones may be left out. */
    private record Shape(String name, List<String> members, int optionalTail) { }

    private static final Map<String, List<Shape>> BY_FIRST = Map.of(
            "msg_name", List.of(new Shape("msghdr", List.of("msg_name", "msg_iov", "msg_flags", "msg_control"), 1)),
            "fd", List.of(new Shape("pollfd", List.of("fd", "events", "revents"), 1)),
            "events", List.of(new Shape("epoll_event", List.of("events", "fd"), 0),
                    new Shape("epoll_event", List.of("events", "ptr"), 0),
                    new Shape("epoll_event", List.of("events", "u32"), 0),
                    new Shape("epoll_event", List.of("events", "u64"), 0)),
            "onoff", List.of(new Shape("linger", List.of("onoff", "linger"), 0)),
            "sa_family", List.of(new Shape("sockaddr", List.of("sa_family", "sin_port", "sin_addr"), 0)),
            "cmsg_level", List.of(new Shape("cmsghdr", List.of("cmsg_level", "cmsg_type", "cmsg_data"), 0)),
            "scm_sec", List.of(new Shape("scm_timestamping", List.of("scm_sec", "scm_nsec"), 0)),
            "ee_errno", List.of(new Shape("sock_extended_err",
                    List.of("ee_errno", "ee_origin", "ee_type", "ee_code", "ee_info", "ee_data"), 0)));

    private StructShapes() {}

    /** Checks a brace list against the shape its first member names; throws with the expected members. */
    static void check(Expr.Struct s) {
        List<String> names = new ArrayList<>();
        for (Expr e : s.elements()) names.add(e instanceof Expr.Assign a ? a.name() : null);
        List<Shape> shapes = shapesFor(s.firstName(), names);
        if (shapes == null) return;
        for (Shape shape : shapes) if (fits(shape, names)) return;
        Shape shape = shapes.get(0);
        throw new ScriptException(s.pos(), "a " + shape.name() + " is {" + describe(shapes) + "}, found {"
                + String.join(", ", names.stream().map(n -> n == null ? "?" : n).toList()) + "}");
    }

    /**
     * The shapes a brace list must fit: those its first member starts, or, when another member is one of their
     * field names (reserved words in packetdrill's lexer, so never free names), the shapes that have it.
     */
    private static List<Shape> shapesFor(String first, List<String> names) {
        if (first != null && BY_FIRST.containsKey(first)) return BY_FIRST.get(first);
        for (String n : names) {
            if (n == null) continue;
            for (List<Shape> group : BY_FIRST.values()) {
                for (Shape sh : group) if (sh.members().contains(n)) return group;
            }
        }
        return null;
    }

    private static boolean fits(Shape shape, List<String> names) {
        int min = shape.members().size() - shape.optionalTail();
        if (names.size() < min || names.size() > shape.members().size()) return false;
        for (int i = 0; i < names.size(); i++) if (!shape.members().get(i).equals(names.get(i))) return false;
        return true;
    }

    private static String describe(List<Shape> shapes) {
        List<String> alternatives = new ArrayList<>();
        for (Shape sh : shapes) {
            List<String> m = sh.members();
            int min = m.size() - sh.optionalTail();
            String req = String.join("=..., ", m.subList(0, min)) + "=...";
            alternatives.add(min == m.size() ? req : req + "[, " + String.join("=..., ", m.subList(min, m.size())) + "=...]");
        }
        return String.join(" or ", alternatives);
    }
}
