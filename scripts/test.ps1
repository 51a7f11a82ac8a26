# Install everything and run the whole test suite (Windows 10/11): lint, types, layer contracts, tests.
# Needs Python 3.11+ and PostgreSQL's server binaries (initdb, pg_ctl) on PATH for the database tests.
#   powershell -ExecutionPolicy Bypass -File scripts\test.ps1
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
$Venv = Join-Path $Root ".venv"
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) { py -3 -m venv $Venv }
$Py = Join-Path $Venv "Scripts\python.exe"
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q -e "$Root[test]"
& $Py -m pip install -q --no-deps "face_recognition==1.3.0" "face_recognition_models==0.3.0"
Set-Location $Root
& $Py -m ruff check . ; if ($LASTEXITCODE) { exit $LASTEXITCODE }
& $Py -m ruff format --check . ; if ($LASTEXITCODE) { exit $LASTEXITCODE }
& $Py -m mypy ; if ($LASTEXITCODE) { exit $LASTEXITCODE }
& (Join-Path $Venv "Scripts\lint-imports.exe") ; if ($LASTEXITCODE) { exit $LASTEXITCODE }
$env:QT_QPA_PLATFORM = "offscreen"
& $Py -m pytest @args
exit $LASTEXITCODE
