/** The {@code courier bench} harness and JMH micro-benchmarks. */
package io.courier.bench;
