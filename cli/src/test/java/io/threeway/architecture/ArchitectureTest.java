package io.threeway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.threeway.wire.ArchitectureFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of ARCHITECTURE.md, enforced: every row of its package tables ({@code | `pkg` | may use |
 * ...}) becomes a rule that classes of {@code io.threeway.pkg} depend on no {@code io.threeway} package outside
 * their row; every package that exists must have a row; and no package cycles. Checked with ArchUnit on the
 * compiled main classes of every module on this test's class path (core, lab, conformance, web, cli and what
 * cli depends on).
 */
class ArchitectureTest {
    /** The project's root package. */
    private static final String ROOT = "io.threeway";
    /** A table row: the package in backticks, then the packages it may use. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z][a-z0-9_.]*)`\\s*\\|([^|]*)\\|");
    /** A package name in backticks inside a "may use" cell. */
    private static final Pattern NAME = Pattern.compile("`([a-z][a-z0-9_.]*)`");

    /** The rows: package (relative to io.threeway) to the packages it may use. */
    private static Map<String, Set<String>> map;
    /** Every main class of the project. */
    private static JavaClasses classes;

    @BeforeAll
    static void load() throws IOException {
        map = packageMap(Path.of("..", "ARCHITECTURE.md"));
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(ROOT);
    }

    /** The package tables of ARCHITECTURE.md: rows whose first cell is a package name and second its "may use". */
    static Map<String, Set<String>> packageMap(Path architecture) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(architecture)) {
            Matcher m = ROW.matcher(line);
            if (!m.find() || !line.contains("may use") && !isPackageRow(m.group(2))) continue;
            Set<String> allowed = new TreeSet<>();
            Matcher n = NAME.matcher(m.group(2));
            while (n.find()) allowed.add(n.group(1));
            out.put(m.group(1), allowed);
        }
        return out;
    }

    /** A "may use" cell: package names in backticks, or "(nothing)" / "(the JDK only)". */
    private static boolean isPackageRow(String cell) {
        String t = cell.strip();
        return t.startsWith("`") || t.startsWith("(");
    }

    /** The rule for one row. */
    static ArchRule rule(String pkg, Set<String> allowed) {
        String self = ROOT + "." + pkg;
        DescribedPredicate<JavaClass> forbidden = DescribedPredicate.describe(
                "lie in an io.threeway package other than " + allowed,
                c -> {
                    String p = c.getPackageName();
                    if (!p.equals(ROOT) && !p.startsWith(ROOT + ".")) return false;
                    if (p.equals(self)) return false;
                    String rel = p.equals(ROOT) ? "" : p.substring(ROOT.length() + 1);
                    return !allowed.contains(rel);
                });
        return noClasses().that().resideInAPackage(self).should().dependOnClassesThat(forbidden)
                .because("ARCHITECTURE.md lets " + pkg + " use only " + (allowed.isEmpty() ? "the JDK" : allowed));
    }

    @Test
    void theTablesAreThere() {
        assertTrue(map.containsKey("tcp") && map.containsKey("wire") && map.containsKey("cli"), "rows read: " + map.keySet());
        assertTrue(map.get("wire").isEmpty(), "wire may use nothing: " + map.get("wire"));
        assertFalse(classes.isEmpty());
    }

    @Test
    void everyPackageHasARow() {
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : classes) {
            String p = c.getPackageName();
            if (p.startsWith(ROOT + ".") && !map.containsKey(p.substring(ROOT.length() + 1))) missing.add(p);
        }
        assertTrue(missing.isEmpty(), "packages without a row in ARCHITECTURE.md's tables: " + missing);
    }

    @Test
    void everyPackageKeepsToItsRow() {
        List<String> failures = new ArrayList<>();
        map.forEach((pkg, allowed) -> {
            try {
                rule(pkg, allowed).allowEmptyShould(true).check(classes);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        });
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    /** The test of the test: a class of {@code wire} that uses {@code tcp} breaks the rules, and they say so. */
    @Test
    void aForbiddenDependencyFails() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ArchitectureFixture.class);
        AssertionError e = assertThrows(AssertionError.class, () -> rule("wire", map.get("wire")).check(fixture));
        assertTrue(e.getMessage().contains("io.threeway.tcp.TcpState"), e.getMessage());
    }
}
