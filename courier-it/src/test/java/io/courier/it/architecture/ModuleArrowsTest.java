package io.courier.it.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The arrows between Courier's modules (docs/architecture.md), checked on the main code of every module on this
 * module's test classpath: core, protocol, store, client, broker, cli and testkit. Maven already refuses most of
 * these at compile time; this test keeps a new dependency in a pom from turning into an upward arrow unnoticed.
 */
class ModuleArrowsTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.courier");

    @Test
    void shouldKeepCoreFreeOfEveryOtherModule() {
        onlyUses("io.courier.core..").check(CLASSES);
    }

    @Test
    void shouldLetProtocolUseCoreOnly() {
        onlyUses("io.courier.protocol..", "io.courier.core..").check(CLASSES);
    }

    @Test
    void shouldLetStoreUseCoreOnly() {
        onlyUses("io.courier.store..", "io.courier.core..").check(CLASSES);
    }

    @Test
    void shouldKeepTheClientFreeOfBrokerAndStore() {
        noClasses().that().resideInAPackage("io.courier.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.courier.broker..", "io.courier.store..")
                .check(CLASSES);
    }

    @Test
    void shouldKeepTheBrokerFreeOfClientAndTools() {
        noClasses().that().resideInAPackage("io.courier.broker..")
                .should().dependOnClassesThat().resideInAnyPackage("io.courier.client..", "io.courier.cli..",
                        "io.courier.testkit..", "io.courier.bench..")
                .check(CLASSES);
    }

    /** The classes of {@code module} use no Courier class outside {@code module} and {@code allowed}. */
    private static ArchRule onlyUses(String module, String... allowed) {
        String[] own = new String[allowed.length + 1];
        own[0] = module;
        System.arraycopy(allowed, 0, own, 1, allowed.length);
        return classes().that().resideInAPackage(module)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.courier..").or(resideInAnyPackage(own)));
    }
}
