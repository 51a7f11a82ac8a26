# Install and start the Yichuang workstation with demo users and sample cases (Windows 10/11).
# Needs Python 3.11+ from python.org (the "py" launcher). Run from the repository folder:
#   powershell -ExecutionPolicy Bypass -File scripts\start.ps1
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
$Venv = Join-Path $Root ".venv"
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) { py -3 -m venv $Venv }
& (Join-Path $Venv "Scripts\python.exe") -m pip install -q --upgrade pip
& (Join-Path $Venv "Scripts\python.exe") -m pip install -q -e "$Root[postgres,face]"
& (Join-Path $Venv "Scripts\python.exe") -m pip install -q --no-deps "face_recognition==1.3.0" "face_recognition_models==0.3.0"
if (-not $env:YICHUANG_DATA_DIR) { $env:YICHUANG_DATA_DIR = Join-Path $env:ProgramData "Yichuang" }
& (Join-Path $Venv "Scripts\yichuang.exe") demo @args
exit $LASTEXITCODE
