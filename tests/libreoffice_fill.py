"""Fill report forms in LibreOffice as a clerk would, then save them as .xlsx: each text is
typed into its cell (LibreOffice's own input: 50% becomes a percent, 2019-6-24 a date, and in
a Chinese LibreOffice 6月24日 a date of the current year), on the sheet as it comes, locked.
What a clerk tries on the locked sheet is tried through the menu's commands and reported: a
locked cell typed into, a row deleted (LibreOffice refuses both). A row deleted for real is
deleted as a clerk who knows the menu does, with the sheet's protection lifted (it has no
password) and put back. A column is widened through the API, as dragging its border does (the
.uno:ColumnWidth command brings a headless LibreOffice down, and so does a second locked cell
typed into in one document: its error box, so try one a document).

Run by tests/core/forms/test_forms*.py with a python3 that has LibreOffice's uno module:

    python3 tests/libreoffice_fill.py FORM.xlsx OUT.xlsx '{"cells": {"G5": "５０"}, "delete_rows": [7], "widen": ["J"]}'
    python3 tests/libreoffice_fill.py --jobs '{"locale": "zh-CN", "jobs": [{"source": …, "target": …, "spec": {…}}]}'

The second form runs every job in one LibreOffice whose locale (Tools > Options > Language
Settings > Locale setting) is the one given, and prints, per job, what LibreOffice let happen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start(locale):
    soffice = os.environ.get("SOFFICE", "/usr/lib/libreoffice/program/soffice")
    work = tempfile.mkdtemp(prefix="duban-lo-")
    pipe = f"duban{os.getpid()}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    else:
        stop(office, None)
        raise SystemExit("LibreOffice did not start")
    if locale:
        provider = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", context
        )
        settings = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", "/org.openoffice.Setup/L10N"),)
        )
        settings.setPropertyValue("ooSetupSystemLocale", locale)
        settings.commitChanges()
    return office, context


def stop(office, desktop):
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()


def fill(context, source, target, spec):
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", True),)
    )
    frame = document.getCurrentController().getFrame()
    sheet = document.getSheets().getByName(spec.get("sheet", "报送表"))
    document.getCurrentController().setActiveSheet(sheet)

    def go(address):
        dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", address),))

    def type_into(address, text):
        # typed: go to the cell and enter the text as the keyboard would (number and date recognition)
        go(address)
        dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))

    seen = {"protected": bool(sheet.isProtected())}
    for address, text in spec.get("cells", {}).items():
        type_into(address, text)
    for address, text in spec.get("try_locked", {}).items():
        before = sheet.getCellRangeByName(address).getString()
        type_into(address, text)
        seen.setdefault("locked_kept", []).append(sheet.getCellRangeByName(address).getString() == before)
    for row in spec.get("try_delete_rows", []):
        before = sheet.getCellByPosition(0, row - 1).getString()
        go(f"A{row}")
        dispatcher.executeDispatch(frame, ".uno:DeleteRows", "", 0, ())
        seen.setdefault("rows_kept", []).append(sheet.getCellByPosition(0, row - 1).getString() == before)
    for letter in spec.get("widen", []):
        column = sheet.getColumns().getByName(letter)
        column.Width = column.Width * 2
    if spec.get("delete_rows"):
        sheet.unprotect("")
        for row in sorted(spec["delete_rows"], reverse=True):
            sheet.getRows().removeByIndex(row - 1, 1)
        sheet.protect("")
    document.storeToURL(
        uno.systemPathToFileUrl(os.path.abspath(target)), (prop("FilterName", "Calc MS Excel 2007 XML"),)
    )
    document.close(True)
    return desktop, seen


def main():
    if sys.argv[1] == "--jobs":
        order = json.loads(sys.argv[2])
        jobs, locale = order["jobs"], order.get("locale")
    else:
        jobs, locale = [{"source": sys.argv[1], "target": sys.argv[2], "spec": json.loads(sys.argv[3])}], None
    office, context = start(locale)
    desktop, report = None, []
    try:
        for job in jobs:
            desktop, seen = fill(context, job["source"], job["target"], job["spec"])
            report.append(seen)
    finally:
        stop(office, desktop)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
