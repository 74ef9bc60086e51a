/** Test fixtures: an embedded broker, scripted fake peers, close helpers. */
package io.courier.testkit;
