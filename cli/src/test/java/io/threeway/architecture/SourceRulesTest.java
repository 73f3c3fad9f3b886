package io.threeway.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.PackageTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ARCHITECTURE.md asks of the sources that bytecode cannot show, checked on every module's main sources
 * with the JDK's own parser: no fully qualified {@code io.threeway}, {@code java}, {@code javax} or {@code jdk}
 * names in code (only imports name packages, so a reader sees every dependency at the top of the file), and in
 * {@code io.threeway.tcp} and its subpackages no file over 700 lines, no method over 60, and a doc comment on
 * every field (enum constants and record components included).
 */
class SourceRulesTest {
    /** Where a fully qualified name may start. */
    private static final Set<String> ROOTS = Set.of("io", "java", "javax", "jdk");
    /** The engine's size limits. */
    private static final int MAX_FILE_LINES = 700;
    /** The longest method the engine may have, in lines. */
    private static final int MAX_METHOD_LINES = 60;

    /** Every main source file's tree, parsed once. */
    private static List<CompilationUnitTree> units;
    /** Positions in those trees. */
    private static SourcePositions positions;
    /** Their doc comments. */
    private static DocTrees docs;

    @BeforeAll
    static void parse() throws IOException {
        List<Path> files;
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            files = new ArrayList<>();
            for (Path m : modules.toList()) {
                Path main = m.resolve("src/main/java");
                if (!Files.isDirectory(main)) continue;
                try (Stream<Path> s = Files.walk(main)) {
                    s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
                }
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null);
        Iterable<? extends JavaFileObject> objects = fm.getJavaFileObjectsFromPaths(files);
        JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none"), null, objects);
        units = new ArrayList<>();
        for (CompilationUnitTree u : task.parse()) units.add(u);
        positions = Trees.instance(task).getSourcePositions();
        docs = DocTrees.instance(task);
        assertTrue(units.size() > 100, "parsed " + units.size() + " files");
    }

    @Test
    void noFullyQualifiedNamesInCode() {
        List<String> found = new ArrayList<>();
        for (CompilationUnitTree u : units) {
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitImport(ImportTree node, Void v) {
                    return null;
                }

                @Override
                public Void visitPackage(PackageTree node, Void v) {
                    return null;
                }

                @Override
                public Void visitMemberSelect(MemberSelectTree node, Void v) {
                    if (qualifiesAType(node)) {
                        found.add(where(u, node) + ": " + node);
                        return null;
                    }
                    return super.visitMemberSelect(node, v);
                }
            }.scan(u, null);
        }
        assertTrue(found.isEmpty(), "fully qualified names (import them):\n" + String.join("\n", found));
    }

    /** {@code a.b.C}: a chain of lower-case names from a root package, then a capitalised one. */
    private static boolean qualifiesAType(MemberSelectTree node) {
        if (!Character.isUpperCase(node.getIdentifier().charAt(0))) return false;
        Tree t = node.getExpression();
        int parts = 0;
        while (t instanceof MemberSelectTree m) {
            if (!Character.isLowerCase(m.getIdentifier().charAt(0))) return false;
            t = m.getExpression();
            parts++;
        }
        return parts > 0 && t instanceof IdentifierTree id && ROOTS.contains(id.getName().toString());
    }

    @Test
    void theEngineIsInReadablePieces() {
        List<String> found = new ArrayList<>();
        for (CompilationUnitTree u : units) {
            if (u.getPackageName() == null || !u.getPackageName().toString().startsWith("io.threeway.tcp")) continue;
            LineMap lines = u.getLineMap();
            long fileLines = lines.getLineNumber(positions.getEndPosition(u, u));
            if (fileLines > MAX_FILE_LINES) found.add(u.getSourceFile().getName() + ": " + fileLines + " lines");
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitMethod(MethodTree m, Void v) {
                    if (m.getBody() != null) {
                        long n = lines.getLineNumber(positions.getEndPosition(u, m)) - lines.getLineNumber(positions.getStartPosition(u, m)) + 1;
                        if (n > MAX_METHOD_LINES) found.add(where(u, m) + ": method " + m.getName() + " has " + n + " lines");
                    }
                    return super.visitMethod(m, v);
                }
            }.scan(u, null);
        }
        assertTrue(found.isEmpty(), "over the engine's limits (" + MAX_FILE_LINES + " lines a file, "
                + MAX_METHOD_LINES + " a method):\n" + String.join("\n", found));
    }

    @Test
    void everyFieldOfTheEngineHasADocComment() {
        List<String> found = new ArrayList<>();
        for (CompilationUnitTree u : units) {
            if (u.getPackageName() == null || !u.getPackageName().toString().startsWith("io.threeway.tcp")) continue;
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree var, Void v) {
                    TreePath path = getCurrentPath();
                    if (path.getParentPath().getLeaf() instanceof ClassTree && !documented(path, var)) {
                        found.add(where(u, var) + ": " + var.getName());
                    }
                    return null; // fields only: nothing inside an initializer
                }
            }.scan(u, null);
        }
        assertTrue(found.isEmpty(), "fields of io.threeway.tcp without a doc comment:\n" + String.join("\n", found));
    }

    /** A doc comment of its own, or for a record's component, a {@code @param} in the record's. */
    private static boolean documented(TreePath path, VariableTree var) {
        if (docs.getDocComment(path) != null) return true;
        TreePath owner = path.getParentPath();
        if (owner.getLeaf().getKind() != Tree.Kind.RECORD || var.getModifiers().getFlags().contains(Modifier.STATIC)) return false;
        DocCommentTree d = docs.getDocCommentTree(owner);
        if (d == null) return false;
        for (DocTree t : d.getBlockTags()) {
            if (t instanceof ParamTree p && !p.isTypeParameter() && p.getName().getName().contentEquals(var.getName())) return true;
        }
        return false;
    }

    private static String where(CompilationUnitTree u, Tree t) {
        return u.getSourceFile().getName() + ":" + u.getLineMap().getLineNumber(positions.getStartPosition(u, t));
    }
}
