"""Resolves every entry of gradle/libs.versions.toml that Maven Central publishes, through Maven.

Libraries with a version are fetched as they are; managed ones (no version) are resolved in a
throwaway pom that imports the catalog's platform BOM, as Gradle's `platform()` would; plugins are
fetched through their marker artifacts (`id:id.gradle.plugin:version`). Plugins published only on
the Gradle Plugin Portal, which these machines cannot reach, are listed as not checked. Exit 1 when
anything else does not resolve.
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
PLATFORM = "micronaut-platform"

catalog = tomllib.loads(Path("gradle/libs.versions.toml").read_text())
versions = catalog["versions"]


def version_of(entry):
    version = entry.get("version")
    if isinstance(version, dict):
        return versions[version["ref"]]
    return version


def maven(*args):
    return subprocess.run(["mvn", "-B", "-q", "-ntp", *args], capture_output=True, text=True)


failed = []
checked = 0
managed = []
for alias, entry in catalog.get("libraries", {}).items():
    version = version_of(entry)
    if version is None:
        managed.append(entry["module"])
        continue
    kind = ":pom" if alias == PLATFORM else ""
    result = maven("dependency:get", "-Dtransitive=false", f"-Dartifact={entry['module']}:{version}{kind}")
    checked += 1
    print(f"{'ok  ' if result.returncode == 0 else 'FAIL'} library {entry['module']}:{version}")
    if result.returncode != 0:
        failed.append(entry["module"])

for alias, entry in catalog.get("plugins", {}).items():
    plugin, version = entry["id"], version_of(entry)
    if plugin in PORTAL_ONLY:
        print(f"not checked: plugin {plugin}:{version}: {PORTAL_ONLY[plugin]}")
        continue
    marker = f"{plugin}:{plugin}.gradle.plugin:{version}:pom"
    result = maven("dependency:get", f"-Dartifact={marker}")
    checked += 1
    print(f"{'ok  ' if result.returncode == 0 else 'FAIL'} plugin {plugin}:{version} (marker and its plugin)")
    if result.returncode != 0:
        failed.append(plugin)

platform = catalog["libraries"][PLATFORM]
group, artifact = platform["module"].split(":")
dependencies = "".join(
    f"<dependency><groupId>{escape(m.split(':')[0])}</groupId><artifactId>{escape(m.split(':')[1])}</artifactId></dependency>"
    for m in managed
)
pom = f"""<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>check</groupId><artifactId>catalog</artifactId><version>0</version>
<dependencyManagement><dependencies><dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>
<version>{version_of(platform)}</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
<dependencies>{dependencies}</dependencies></project>"""
with tempfile.TemporaryDirectory() as folder:
    Path(folder, "pom.xml").write_text(pom)
    result = maven("-f", str(Path(folder, "pom.xml")), "dependency:resolve")
checked += len(managed)
print(f"{'ok  ' if result.returncode == 0 else 'FAIL'} {len(managed)} libraries managed by {platform['module']}")
if result.returncode != 0:
    print(result.stdout[-4000:], result.stderr[-2000:])
    failed.append("the managed libraries")

print(f"{checked} catalog entries checked on Maven Central, {len(failed)} failed; {len(PORTAL_ONLY)} Portal-only plugins not checked")
sys.exit(1 if failed or not checked else 0)
