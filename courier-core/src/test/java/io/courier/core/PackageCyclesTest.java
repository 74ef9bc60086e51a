package io.courier.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of courier-core (main code) depend on each other without a cycle. Each package is its own slice,
 * {@code io.courier.core} itself included (a pattern like {@code io.courier.core.(*)..} would leave it out).
 */
class PackageCyclesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.courier.core");

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching("io.courier.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
