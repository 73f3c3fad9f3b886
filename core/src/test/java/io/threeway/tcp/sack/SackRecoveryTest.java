package io.threeway.tcp.sack;

import static io.threeway.tcp.sack.SackRecovery.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** RFC 6675 §5: entering, running and leaving loss recovery. */
class SackRecoveryTest {
    static final int MSS = 1000;
    final int[] left = new int[4];
    final int[] right = new int[4];
    final SackRecovery rec = new SackRecovery(new SackScoreboard());

    int ack(int ack, int... blocks) {
        int n = blocks.length / 2;
        for (int i = 0; i < n; i++) {
            left[i] = blocks[2 * i];
            right[i] = blocks[2 * i + 1];
        }
        return rec.onAck(ack, rec.scoreboard().highData(), left, right, n);
    }

    @Test
    void limitedTransmitThenRecoveryOnTheThirdDuplicate() {
        rec.reset(0, 10 * MSS, MSS, 3);
        assertEquals(LIMITED_TRANSMIT, ack(0, 1000, 2000));
        assertEquals(1, rec.dupAcks());
        assertEquals(LIMITED_TRANSMIT, ack(0, 1000, 3000));
        assertEquals(ENTER_RECOVERY, ack(0, 1000, 4000));
        assertTrue(rec.inRecovery());
        assertEquals(10 * MSS, rec.recoveryPoint(), "(4.1) RecoveryPoint = HighData");
        rec.firstRetransmission(1000);
        SackScoreboard b = rec.scoreboard();
        assertEquals(1000, b.highRxt());
        assertEquals(1000, b.rescueRxt());
        // (C): pipe and NextSeg drive the sending; the engine sends new data once the hole is repaired.
        assertEquals(7 * MSS, b.pipe());
        assertEquals(IN_RECOVERY, ack(0, 1000, 5000));
        assertEquals(EXIT_RECOVERY, ack(10 * MSS));
        assertFalse(rec.inRecovery());
        assertEquals(NONE, ack(10 * MSS));
    }

    @Test
    void anAckThatSacksThreeSegmentsAtOnceEntersRecoveryAtOnce() {
        rec.reset(0, 10 * MSS, MSS, 3);
        // Two ACKs were lost: the first to arrive already SACKs three segments (step 2: IsLost (HighACK + 1)).
        assertEquals(ENTER_RECOVERY, ack(0, 1000, 4000));
        assertEquals(1, rec.dupAcks());
    }

    @Test
    void anAckWithoutNewSackInformationIsNotADuplicate() {
        rec.reset(0, 10 * MSS, MSS, 3);
        ack(0, 1000, 2000);
        assertEquals(NONE, ack(0, 1000, 2000));
        assertEquals(1, rec.dupAcks());
        assertEquals(NONE, ack(500));
        assertEquals(0, rec.dupAcks(), "a cumulative ACK resets DupAcks");
    }

    @Test
    void partialAcksStayInRecovery() {
        rec.reset(0, 10 * MSS, MSS, 3);
        ack(0, 1000, 4000);
        rec.firstRetransmission(1000);
        assertEquals(IN_RECOVERY, ack(4000, 5000, 6000));
        assertEquals(IN_RECOVERY, ack(9000));
        assertEquals(EXIT_RECOVERY, ack(10_000));
    }

    @Test
    void afterATimeoutNoNewRecoveryUntilRecoveryPointIsAcknowledged() {
        rec.reset(0, 10 * MSS, MSS, 3);
        ack(0, 1000, 4000);
        rec.onRetransmitTimeout();
        assertFalse(rec.inRecovery());
        assertTrue(rec.heldOff());
        assertEquals(LIMITED_TRANSMIT, ack(0, 1000, 5000));
        assertEquals(LIMITED_TRANSMIT, ack(0, 1000, 6000));
        assertEquals(LIMITED_TRANSMIT, ack(0, 1000, 7000), "§5.1: held off although DupAcks >= DupThresh");
        ack(10_000);
        assertFalse(rec.heldOff());
    }

    @Test
    void rescueRetransmissionOncePerRecovery() {
        rec.reset(0, 10 * MSS, MSS, 3);
        ack(0, 1000, 4000);
        rec.firstRetransmission(1000);
        SackScoreboard b = rec.scoreboard();
        assertEquals(SackScoreboard.NONE, b.nextSeg(MSS, false, true), "HighACK has not passed RescueRxt");
        ack(4000); // the retransmission arrived and filled the hole: HighACK passes RescueRxt
        assertEquals(SackScoreboard.RESCUE, b.nextSeg(MSS, false, true));
        assertEquals(9000, b.segStart());
        rec.rescueSent();
        assertEquals(10_000, b.rescueRxt(), "RescueRxt = RecoveryPoint");
        assertEquals(SackScoreboard.NONE, b.nextSeg(MSS, false, true));
    }
}
