package io.courier.it.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packages of courier-client (main code). {@code client.internal} implements the public interfaces of
 * {@code client} and uses its value types, so it depends on {@code client} throughout; the public package reaches
 * back into {@code client.internal} only from its two factories, {@code Client} and {@code Worker}, which create
 * the connections. Apart from those two, the packages form no cycle. Here rather than in courier-client because
 * this module sees every module's classes.
 */
class ClientPackagesTest {
    private static final Set<String> FACTORIES = Set.of("io.courier.client.Client", "io.courier.client.Worker");
    private static final DescribedPredicate<JavaClass> FACTORY =
            describe("the public factories Client and Worker", c -> FACTORIES.contains(c.getName()));

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.courier.client");

    @Test
    void shouldHaveNoCycleBetweenPackagesButTheFactories() {
        slices().matching("io.courier.(**)").should().beFreeOfCycles()
                .ignoreDependency(FACTORY, resideInAPackage("io.courier.client.internal.."))
                .check(CLASSES);
    }

    @Test
    void shouldReachTheInternalsFromTheFactoriesOnly() {
        noClasses().that().resideInAPackage("io.courier.client").and(not(FACTORY))
                .should().dependOnClassesThat().resideInAPackage("io.courier.client.internal..")
                .check(CLASSES);
    }
}
