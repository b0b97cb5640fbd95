/** Benchmarks that print figures; none of them runs as part of the test suite. */
package dev.colosseum.bench;
