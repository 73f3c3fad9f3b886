package io.threeway.stats;

/**
 * The counters a stack keeps, under the names Linux gives them in /proc/net/snmp ({@code Tcp:},
 * {@code Ip:}, {@code Icmp:}) and /proc/net/netstat ({@code TcpExt:}). The order within a group is the
 * order Linux prints them.
 */
public enum Counter {
    // Ip: (the subset the stack has events for)
    IP_IN_RECEIVES(Group.IP, "InReceives"),
    IP_IN_HDR_ERRORS(Group.IP, "InHdrErrors"),
    IP_IN_ADDR_ERRORS(Group.IP, "InAddrErrors"),
    IP_IN_UNKNOWN_PROTOS(Group.IP, "InUnknownProtos"),
    IP_IN_DELIVERS(Group.IP, "InDelivers"),
    IP_OUT_REQUESTS(Group.IP, "OutRequests"),
    IP_OUT_NO_ROUTES(Group.IP, "OutNoRoutes"),
    IP_REASM_TIMEOUT(Group.IP, "ReasmTimeout"),
    IP_REASM_REQDS(Group.IP, "ReasmReqds"),
    IP_REASM_OKS(Group.IP, "ReasmOKs"),
    IP_REASM_FAILS(Group.IP, "ReasmFails"),

    // Tcp: (RtoAlgorithm, RtoMin, RtoMax and MaxConn are constants Linux prints; see Counters)
    ACTIVE_OPENS(Group.TCP, "ActiveOpens"),
    PASSIVE_OPENS(Group.TCP, "PassiveOpens"),
    ATTEMPT_FAILS(Group.TCP, "AttemptFails"),
    ESTAB_RESETS(Group.TCP, "EstabResets"),
    CURR_ESTAB(Group.TCP, "CurrEstab"),
    IN_SEGS(Group.TCP, "InSegs"),
    OUT_SEGS(Group.TCP, "OutSegs"),
    RETRANS_SEGS(Group.TCP, "RetransSegs"),
    IN_ERRS(Group.TCP, "InErrs"),
    OUT_RSTS(Group.TCP, "OutRsts"),
    IN_CSUM_ERRORS(Group.TCP, "InCsumErrors"),

    // TcpExt:
    SYNCOOKIES_SENT(Group.TCP_EXT, "SyncookiesSent"),
    SYNCOOKIES_RECV(Group.TCP_EXT, "SyncookiesRecv"),
    SYNCOOKIES_FAILED(Group.TCP_EXT, "SyncookiesFailed"),
    EMBRYONIC_RSTS(Group.TCP_EXT, "EmbryonicRsts"),
    TW(Group.TCP_EXT, "TW"),
    TW_RECYCLED(Group.TCP_EXT, "TWRecycled"),
    TW_KILLED(Group.TCP_EXT, "TWKilled"),
    PAWS_ACTIVE(Group.TCP_EXT, "PAWSActive"),
    PAWS_ESTAB(Group.TCP_EXT, "PAWSEstab"),
    DELAYED_ACKS(Group.TCP_EXT, "DelayedACKs"),
    LISTEN_OVERFLOWS(Group.TCP_EXT, "ListenOverflows"),
    LISTEN_DROPS(Group.TCP_EXT, "ListenDrops"),
    TCP_PURE_ACKS(Group.TCP_EXT, "TCPPureAcks"),
    TCP_SACK_RECOVERY(Group.TCP_EXT, "TCPSackRecovery"),
    TCP_SACK_REORDER(Group.TCP_EXT, "TCPSACKReorder"),
    TCP_RENO_RECOVERY(Group.TCP_EXT, "TCPRenoRecovery"),
    TCP_FULL_UNDO(Group.TCP_EXT, "TCPFullUndo"),
    TCP_PARTIAL_UNDO(Group.TCP_EXT, "TCPPartialUndo"),
    TCP_DSACK_UNDO(Group.TCP_EXT, "TCPDSACKUndo"),
    TCP_LOSS_UNDO(Group.TCP_EXT, "TCPLossUndo"),
    TCP_FAST_RETRANS(Group.TCP_EXT, "TCPFastRetrans"),
    TCP_SLOW_START_RETRANS(Group.TCP_EXT, "TCPSlowStartRetrans"),
    TCP_TIMEOUTS(Group.TCP_EXT, "TCPTimeouts"),
    TCP_LOSS_PROBES(Group.TCP_EXT, "TCPLossProbes"),
    TCP_LOSS_PROBE_RECOVERY(Group.TCP_EXT, "TCPLossProbeRecovery"),
    TCP_ABORT_ON_DATA(Group.TCP_EXT, "TCPAbortOnData"),
    TCP_ABORT_ON_CLOSE(Group.TCP_EXT, "TCPAbortOnClose"),
    TCP_ABORT_ON_MEMORY(Group.TCP_EXT, "TCPAbortOnMemory"),
    TCP_MEMORY_PRESSURES(Group.TCP_EXT, "TCPMemoryPressures"),
    TCP_ABORT_ON_TIMEOUT(Group.TCP_EXT, "TCPAbortOnTimeout"),
    TCP_ABORT_ON_LINGER(Group.TCP_EXT, "TCPAbortOnLinger"),
    TCP_DSACK_OLD_SENT(Group.TCP_EXT, "TCPDSACKOldSent"),
    TCP_DSACK_RECV(Group.TCP_EXT, "TCPDSACKRecv"),
    TCP_SACK_DISCARD(Group.TCP_EXT, "TCPSACKDiscard"),
    TCP_SPURIOUS_RTOS(Group.TCP_EXT, "TCPSpuriousRTOs"),
    TCP_OFO_QUEUE(Group.TCP_EXT, "TCPOFOQueue"),
    TCP_OFO_DROP(Group.TCP_EXT, "TCPOFODrop"),
    TCP_CHALLENGE_ACK(Group.TCP_EXT, "TCPChallengeACK"),
    TCP_SYN_CHALLENGE(Group.TCP_EXT, "TCPSYNChallenge"),
    TCP_FAST_OPEN_ACTIVE(Group.TCP_EXT, "TCPFastOpenActive"),
    TCP_FAST_OPEN_ACTIVE_FAIL(Group.TCP_EXT, "TCPFastOpenActiveFail"),
    TCP_FAST_OPEN_PASSIVE(Group.TCP_EXT, "TCPFastOpenPassive"),
    TCP_FAST_OPEN_PASSIVE_FAIL(Group.TCP_EXT, "TCPFastOpenPassiveFail"),
    TCP_FAST_OPEN_LISTEN_OVERFLOW(Group.TCP_EXT, "TCPFastOpenListenOverflow"),
    TCP_FAST_OPEN_COOKIE_REQD(Group.TCP_EXT, "TCPFastOpenCookieReqd"),
    TCP_SPURIOUS_RTX_HOST_QUEUES(Group.TCP_EXT, "TCPSpuriousRtxHostQueues"),
    TCP_AUTO_CORKING(Group.TCP_EXT, "TCPAutoCorking"),
    TCP_SYN_RETRANS(Group.TCP_EXT, "TCPSynRetrans"),
    TCP_ORIG_DATA_SENT(Group.TCP_EXT, "TCPOrigDataSent"),
    TCP_KEEP_ALIVE(Group.TCP_EXT, "TCPKeepAlive"),
    TCP_TIME_WAIT_OVERFLOW(Group.TCP_EXT, "TCPTimeWaitOverflow"),
    TCP_DELIVERED_CE(Group.TCP_EXT, "TCPDeliveredCE"),
    TCP_ZERO_WINDOW_DROP(Group.TCP_EXT, "TCPZeroWindowDrop"),
    TCP_RCV_Q_DROP(Group.TCP_EXT, "TCPRcvQDrop"),
    TCP_WANT_ZERO_WINDOW_ADV(Group.TCP_EXT, "TCPWantZeroWindowAdv"),
    TCP_TO_ZERO_WINDOW_ADV(Group.TCP_EXT, "TCPToZeroWindowAdv"),
    TCP_FROM_ZERO_WINDOW_ADV(Group.TCP_EXT, "TCPFromZeroWindowAdv"),
    TCP_ACK_SKIPPED_SYN_RECV(Group.TCP_EXT, "TCPACKSkippedSynRecv"),
    TCP_ACK_SKIPPED_PAWS(Group.TCP_EXT, "TCPACKSkippedPAWS"),
    TCP_ACK_SKIPPED_SEQ(Group.TCP_EXT, "TCPACKSkippedSeq"),
    TCP_ACK_SKIPPED_CHALLENGE(Group.TCP_EXT, "TCPACKSkippedChallenge"),
    TCP_ACK_SKIPPED_TIME_WAIT(Group.TCP_EXT, "TCPACKSkippedTimeWait"),
    OUT_OF_WINDOW_ICMPS(Group.TCP_EXT, "OutOfWindowIcmps"),
    /**
     * Not Linux's: exceptions that reached the stack's boundary (Stack.receive, Stack.advance), each a bug in
     * Threeway. 0 unless something is wrong; drivers log the first one and nstat and the metrics export it.
     */
    THREEWAY_INTERNAL_ERRORS(Group.TCP_EXT, "ThreewayInternalErrors"),
    /**
     * Not an SNMP counter in Linux: packets dropped for a martian source (ip_route_input_slow's martian_source:
     * multicast, limited broadcast, 0.0.0.0/8, loopback, or one of our own addresses), which Linux counts in
     * /proc/net/stat/rt_cache's in_martian_src; nstat and the metrics show it here.
     */
    THREEWAY_IN_MARTIAN_SRC(Group.TCP_EXT, "ThreewayInMartianSrc"),

    // Icmp:
    ICMP_IN_MSGS(Group.ICMP, "InMsgs"),
    ICMP_IN_ERRORS(Group.ICMP, "InErrors"),
    ICMP_IN_CSUM_ERRORS(Group.ICMP, "InCsumErrors"),
    ICMP_IN_DEST_UNREACHS(Group.ICMP, "InDestUnreachs"),
    ICMP_IN_TIME_EXCDS(Group.ICMP, "InTimeExcds"),
    ICMP_IN_PARM_PROBS(Group.ICMP, "InParmProbs"),
    ICMP_IN_ECHOS(Group.ICMP, "InEchos"),
    ICMP_OUT_MSGS(Group.ICMP, "OutMsgs"),
    ICMP_OUT_TIME_EXCDS(Group.ICMP, "OutTimeExcds"),
    ICMP_OUT_ECHO_REPS(Group.ICMP, "OutEchoReps"),

    // Icmp6: (from /proc/net/snmp6, where each name carries the prefix)
    ICMP6_IN_MSGS(Group.ICMP6, "InMsgs"),
    ICMP6_IN_ERRORS(Group.ICMP6, "InErrors"),
    ICMP6_IN_CSUM_ERRORS(Group.ICMP6, "InCsumErrors"),
    ICMP6_IN_DEST_UNREACHS(Group.ICMP6, "InDestUnreachs"),
    ICMP6_IN_PKT_TOO_BIGS(Group.ICMP6, "InPktTooBigs"),
    ICMP6_IN_TIME_EXCDS(Group.ICMP6, "InTimeExcds"),
    ICMP6_IN_PARM_PROBLEMS(Group.ICMP6, "InParmProblems"),
    ICMP6_IN_ECHOS(Group.ICMP6, "InEchos"),
    ICMP6_OUT_MSGS(Group.ICMP6, "OutMsgs"),
    ICMP6_OUT_TIME_EXCDS(Group.ICMP6, "OutTimeExcds"),
    ICMP6_OUT_ECHO_REPLIES(Group.ICMP6, "OutEchoReplies");

    /** The line prefix Linux prints for a group of counters. */
    public enum Group {
        IP("Ip"), ICMP("Icmp"), ICMP6("Icmp6"), TCP("Tcp"), TCP_EXT("TcpExt");

        private final String label;
        Group(String label) { this.label = label; }
        public String label() { return label; }
    }

    private final Group group;
    private final String linuxName;

    Counter(Group group, String linuxName) {
        this.group = group;
        this.linuxName = linuxName;
    }

    public Group group() { return group; }

    /** The counter's name within its group, e.g. {@code ListenOverflows}. */
    public String linuxName() { return linuxName; }

    /** The name nstat prints, e.g. {@code TcpExtListenOverflows}. */
    public String nstatName() { return group.label() + linuxName; }

    /** A gauge rather than a counter (CurrEstab). */
    public boolean isGauge() { return this == CURR_ESTAB; }

    public static Counter byNstatName(String name) {
        for (Counter c : values()) if (c.nstatName().equals(name)) return c;
        return null;
    }
}
