/**
 * The few time limits the tests still have: each bounds a wait on an event (a readiness line, a job
 * state, a request seen by the sandbox), so it only matters when something is broken. They are
 * generous because the suite must pass on a busy 2-core machine (`.ci/run` runs it a second time under
 * scripts/cpu-burner.sh), where a process loading the profiles is many times slower than on a quiet one
 * (`kap-fhir worker` took 25 s to its readiness line at a load average of 12 on 2 cores).
 */

/** A child process (the `kap-fhir` binary, a compiled entry point) printing its readiness line. */
export const CHILD_START_TIMEOUT_MS = 180_000;

/** Jobs reaching a final state (completed or failed), retries and a crashed worker's lock lapse included. */
export const SETTLE_TIMEOUT_MS = 120_000;

/** A condition polled with `until` (a request reaching the sandbox, every request answered). */
export const CONDITION_TIMEOUT_MS = 60_000;

/**
 * A test delivery target's request timeout. The sandbox EHR runs in the test's own process, so on a
 * busy machine a large Bundle can take seconds to be answered; a timed-out write is retried while the
 * server may still be working on it, which is not what these tests are about (the tests of the timeout
 * itself set a short one).
 */
export const TARGET_TIMEOUT_MS = 30_000;

/** A test that starts a child process and waits for it more than once. */
export const CHILD_TEST_TIMEOUT_MS = CHILD_START_TIMEOUT_MS + 2 * SETTLE_TIMEOUT_MS;
