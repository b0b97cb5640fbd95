/** The arena's statistics core: pure Java, no framework. */
package dev.colosseum.stats;
