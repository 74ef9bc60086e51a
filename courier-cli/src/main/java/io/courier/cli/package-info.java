/** The {@code courier} command line. */
package io.courier.cli;
