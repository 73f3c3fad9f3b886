package io.threeway.conformance.run;

import io.threeway.tcp.FastOpen;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import java.util.List;
import java.util.Map;

/** The script's process as the system calls see it: the stack, the peer, the profile, the fd table, the files. */
final class Proc {
    final Stack stack;
    final Peer peer;
    final Profile profile;
    final FdTable fds = new FdTable();
    /** The files the script's commands made, by path and size. */
    final Map<String, Long> files;
    /** Where calls report what they accepted but the stack does not model. */
    final List<String> notes;
    /** The socket the last socket() made (packetdrill's socket under test, until a SYN makes a child). */
    Socket sut;

    Proc(Stack stack, Peer peer, Profile profile, Map<String, Long> files, List<String> notes) {
        this.stack = stack;
        this.peer = peer;
        this.profile = profile;
        this.files = files;
        this.notes = notes;
    }

    /** Whether tcp_fastopen has its client bit (FreeBSD's net.inet.tcp.fastopen.client_enable). */
    boolean clientFastOpen() {
        return (stack.sysctls().get(Sysctl.TCP_FASTOPEN) & FastOpen.CLIENT) != 0;
    }

    boolean bsd() {
        return profile.socketApi() == Profile.SocketApi.BSD;
    }

    /** Records a note once. */
    void note(String n) {
        if (!notes.contains(n)) notes.add(n);
    }
}
