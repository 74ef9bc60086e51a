package io.courier.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broker's packages (main code) form a DAG, layered as docs/architecture.md describes: a package may use the
 * packages in the tiers below its own, never one above it nor a sibling in its own tier. Every package may use
 * courier-core, courier-protocol and courier-store.
 */
class BrokerArchitectureTest {
    private static final String ROOT = "io.courier.broker";

    /** The broker's packages, top to bottom, named under {@link #ROOT}; packages of one tier do not use each other. */
    private static final List<List<String>> TIERS = List.of(
            List.of("(root)"),                 // Broker: assembly, start, reload, close
            List.of("transport"),              // the loop, the sockets, the frontend protocols
            List.of("admin"),                  // HTTP endpoint, status document
            List.of("config"),                 // BrokerConfig and its loader
            List.of("security"),               // CURVE, ZAP, address filters, access control
            List.of("service"),                // request routing
            List.of("metrics"),                // Prometheus metrics, the broker's counters, exporters
            List.of("stream", "queue"),        // the streams core, the queues core
            List.of("peer"));                  // peer identities

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        // each package its own slice, the root package io.courier.broker included ("broker.(*).." leaves it out)
        slices().matching("io.courier.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void shouldUseOnlyTheTiersBelow() {
        layers().check(CLASSES);
    }

    @Test
    void shouldPutEveryPackageInATier() {
        String[] known = TIERS.stream().flatMap(List::stream).map(BrokerArchitectureTest::packageOf)
                .toArray(String[]::new);
        classes().should().resideInAnyPackage(known)
                .because("a new broker package needs its place in the layering (docs/architecture.md)")
                .check(CLASSES);
    }

    private static LayeredArchitecture layers() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> tier : TIERS) {
            for (String pkg : tier) {
                layers = layers.layer(pkg).definedBy(packageOf(pkg));   // exactly that package
            }
        }
        List<String> above = new ArrayList<>();
        for (List<String> tier : TIERS) {
            for (String pkg : tier) {
                layers = above.isEmpty() ? layers.whereLayer(pkg).mayNotBeAccessedByAnyLayer()
                        : layers.whereLayer(pkg).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
            above.addAll(tier);
        }
        return layers;
    }

    private static String packageOf(String name) {
        return name.equals("(root)") ? ROOT : ROOT + "." + name;
    }
}
