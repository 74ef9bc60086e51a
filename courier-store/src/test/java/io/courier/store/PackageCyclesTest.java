package io.courier.store;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of courier-store (main code) depend on each other without a cycle. Each package is its own slice,
 * {@code io.courier.store} itself included (a pattern like {@code io.courier.store.(*)..} would leave it out).
 */
class PackageCyclesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.courier.store");

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching("io.courier.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
