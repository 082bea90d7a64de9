package dev.picklejar.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an adopter checks before taking a dependency: a licence, in the repository and in every
 * published pom; a BOM naming every library module; a changelog; jars with a module name, sources
 * and Javadoc; a package-info for every package.
 */
class PublishingTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The published library modules, as examples/pom.xml depends on them. */
    private static final List<String> LIBRARIES = libraries();

    private static List<String> libraries() {
        try {
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("<artifactId>picklejar-(\\w+)</artifactId>")
                    .matcher(dependencies(Files.readString(ROOT.resolve("examples/pom.xml"), UTF_8)));
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String dependencies(String pom) {
        return pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
    }

    @Test
    void theRepositoryHasTheApacheLicenceText() throws IOException {
        String licence = Files.readString(ROOT.resolve("LICENSE"), UTF_8);
        assertTrue(licence.strip().startsWith("Apache License\n                           Version 2.0, January 2004"), licence);
        assertTrue(licence.contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"));
        assertTrue(licence.contains("END OF TERMS AND CONDITIONS"));
        assertTrue(licence.contains("APPENDIX: How to apply the Apache License to your work."));
        assertTrue(Files.readString(ROOT.resolve("NOTICE"), UTF_8).contains("Apache License, Version 2.0"));
    }

    @Test
    void theParentPomAndTheBomDeclareTheLicence() throws IOException {
        String licence = "<licenses>\n    <license>\n      <name>Apache-2.0</name>\n"
                + "      <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>";
        for (String pom : List.of("pom.xml", "bom/pom.xml")) {
            assertTrue(Files.readString(ROOT.resolve(pom), UTF_8).contains(licence), pom + " declares no Apache-2.0 licence");
        }
        // Every other module inherits it: its parent is picklejar-parent.
        for (String module : LIBRARIES) {
            assertTrue(Files.readString(ROOT.resolve(module).resolve("pom.xml"), UTF_8)
                    .contains("<artifactId>picklejar-parent</artifactId>"), module);
        }
    }

    @Test
    void theBomNamesEveryLibraryModuleAtTheProjectsVersion() throws IOException {
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"), UTF_8);
        for (String module : LIBRARIES) {
            assertTrue(bom.contains("<artifactId>picklejar-" + module + "</artifactId>"), "the BOM lacks picklejar-" + module);
        }
        assertEquals(version(Files.readString(ROOT.resolve("pom.xml"), UTF_8)), version(bom));
    }

    @Test
    void theChangelogHasTheCurrentVersion() throws IOException {
        String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"), UTF_8);
        assertTrue(changelog.contains("## [Unreleased] — " + version(Files.readString(ROOT.resolve("pom.xml"), UTF_8))),
                "CHANGELOG.md has no section for the current version");
    }

    @Test
    void everyLibraryJarHasItsModuleNameSourcesAndJavadoc() throws IOException {
        String version = version(Files.readString(ROOT.resolve("pom.xml"), UTF_8));
        for (String module : LIBRARIES) {
            Path jar = ROOT.resolve(module).resolve("target").resolve("picklejar-" + module + "-" + version + ".jar");
            assumeTrue(Files.exists(jar), jar + " is not built: run mvn verify (this test needs the package phase)");
            try (JarFile file = new JarFile(jar.toFile())) {
                assertEquals("dev.picklejar." + module, file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
                        jar.toString());
            }
            for (String classifier : List.of("sources", "javadoc")) {
                Path attached = jar.resolveSibling("picklejar-" + module + "-" + version + "-" + classifier + ".jar");
                assertTrue(Files.isRegularFile(attached), attached + " is missing");
            }
        }
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        TreeSet<String> missing = new TreeSet<>();
        for (String module : LIBRARIES) {
            collect(ROOT.resolve(module).resolve("src/main/java"), missing);
        }
        collect(ROOT.resolve("cli/src/main/java"), missing);
        assertEquals(new TreeSet<>(), missing, "packages without package-info.java");
    }

    private static void collect(Path sources, TreeSet<String> missing) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).map(Path::getParent).distinct()
                    .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                    .forEach(dir -> missing.add(ROOT.relativize(dir).toString()));
        }
    }

    /** The project's own version: the first version element after the artifactId. */
    private static String version(String pom) {
        int artifact = pom.indexOf("<artifactId>", pom.indexOf("</parent>") < 0 ? 0 : pom.indexOf("</parent>"));
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(artifact), "no version in the pom");
        return m.group(1);
    }
}
