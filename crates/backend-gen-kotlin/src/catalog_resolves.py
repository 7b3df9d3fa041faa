"""Resolves every entry of gradle/libs.versions.toml that Maven Central publishes, through Maven.

One throwaway pom imports the catalog's platform BOM (as Gradle's `platform()` does) and depends on
every library (the managed ones without a version) and on every plugin's marker artifact
(`id:id.gradle.plugin:version`, which brings the plugin itself); `mvn dependency:resolve` then
fetches them all with their dependencies. Plugins published only on the Gradle Plugin Portal, which
these machines cannot reach, are listed as not checked, as is the one library Maven Central
publishes but these machines' registry does not serve. Exit 1 when anything else does not resolve.
"""

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape

PORTAL_ONLY = {
    "io.micronaut.application": "the Micronaut Gradle plugins are published on the Gradle Plugin Portal only",
    "org.jlleitschuh.gradle.ktlint": "ktlint-gradle is published on the Gradle Plugin Portal only",
}
NOT_SERVED = {
    "io.micronaut:micronaut-inject-kotlin": "KSP's Micronaut processor: on Maven Central, not served by this machine's registry",
}
PLATFORM = "micronaut-platform"

catalog = tomllib.loads(Path("gradle/libs.versions.toml").read_text())
versions = catalog["versions"]


def version_of(entry):
    version = entry.get("version")
    return versions[version["ref"]] if isinstance(version, dict) else version


def dependency(module, version=None, kind=None, scope=None):
    group, artifact = module.split(":")
    parts = [f"<groupId>{escape(group)}</groupId><artifactId>{escape(artifact)}</artifactId>"]
    parts += [f"<{tag}>{escape(value)}</{tag}>" for tag, value in (("version", version), ("type", kind), ("scope", scope)) if value]
    return f"<dependency>{''.join(parts)}</dependency>"


platform = catalog["libraries"][PLATFORM]
wanted, not_checked = [], []
for alias, entry in catalog.get("libraries", {}).items():
    module = entry["module"]
    if alias == PLATFORM:
        continue
    if module in NOT_SERVED:
        not_checked.append(f"library {module}: {NOT_SERVED[module]}")
        continue
    wanted.append((f"library {module}:{version_of(entry) or '(managed)'}", dependency(module, version_of(entry))))
for entry in catalog.get("plugins", {}).values():
    plugin, version = entry["id"], version_of(entry)
    if plugin in PORTAL_ONLY:
        not_checked.append(f"plugin {plugin}:{version}: {PORTAL_ONLY[plugin]}")
        continue
    wanted.append((f"plugin {plugin}:{version}", dependency(f"{plugin}:{plugin}.gradle.plugin", version, "pom")))

bom = dependency(platform["module"], version_of(platform), "pom", "import")
pom = f"""<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>check</groupId><artifactId>catalog</artifactId><version>0</version>
<dependencyManagement><dependencies>{bom}</dependencies></dependencyManagement>
<dependencies>{''.join(d for _, d in wanted)}</dependencies></project>"""
with tempfile.TemporaryDirectory() as folder:
    Path(folder, "pom.xml").write_text(pom)
    result = subprocess.run(
        ["mvn", "-B", "-q", "-ntp", "-f", str(Path(folder, "pom.xml")), "dependency:resolve"],
        capture_output=True,
        text=True,
    )
for name, _ in wanted:
    print(f"{'checked' if result.returncode == 0 else 'in the failed resolution'}: {name}")
for line in not_checked:
    print(f"not checked: {line}")
if result.returncode != 0:
    print(result.stdout[-6000:], result.stderr[-2000:])
print(
    f"{len(wanted)} catalog entries (and the platform {platform['module']}:{version_of(platform)}) "
    f"{'resolve' if result.returncode == 0 else 'do NOT all resolve'} on Maven Central; {len(not_checked)} not checked"
)
sys.exit(1 if result.returncode != 0 or not wanted else 0)
