package dev.sepia.comms.rpc;

/** Whoever must be able to fail a call while it is in flight (a channel being closed). */
interface CallScope {

  CallScope NONE =
      new CallScope() {
        @Override
        public void enter(PendingCall call) {}

        @Override
        public void exit(PendingCall call) {}
      };

  void enter(PendingCall call);

  void exit(PendingCall call);
}
