#!/usr/bin/python3
"""Validates pcap2report JSON documents against docs/schema/pcap2report.schema.json.

Usage: check_schema.py SCHEMA REPORT.json...   Prints one line per failure and a final
'schema: N passed, M failed' line; exits 1 when any document does not validate."""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for path in sys.argv[2:]:
        errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
        if errors:
            failed += 1
            for e in errors[:5]:
                print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        else:
            passed += 1
    print(f"schema: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
