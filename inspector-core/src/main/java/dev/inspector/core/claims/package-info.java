/**
 * Judging claims against evidence measured now: one engine for the lab, the guided demos and {@code model}.
 *
 * <p>A {@link dev.inspector.core.claims.Claim} says in words what is expected (and, optionally, which claim of the
 * documents' catalogue it bears on). An {@link dev.inspector.core.claims.Expectation} pairs it with a judge that decides
 * from evidence of any type {@code E} the caller measured; judging gives a {@link dev.inspector.core.claims.Check}: a
 * {@link dev.inspector.core.claims.Verdict} with what was seen and, by verdict, the nuance, why it differs or what is
 * missing. {@link dev.inspector.core.claims.Outcome} aggregates checks (or outcomes of groups) into one verdict with
 * counts and a one-line reason.
 *
 * <p>Verdicts are only ever computed: a judge that throws, or gives nothing, yields
 * {@link dev.inspector.core.claims.Verdict#CANNOT_CHECK} with the reason, never a silent HOLDS; an empty group cannot be
 * checked either. The package does no I/O, prints nothing and depends on no other inspector package.
 */
package dev.inspector.core.claims;
