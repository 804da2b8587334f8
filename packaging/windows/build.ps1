# Build the Windows installer: dist\lanchat-<version>-windows-x64-setup.exe
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs Python 3.11+ (x64, from python.org, "py" launcher) and Inno Setup 6
# (ISCC.exe; set $env:ISCC if it is not in the default folder).
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    Write-Host "+ $Exe $($Arguments -join ' ')"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe exited $LASTEXITCODE" }
}

$Started = Get-Date
$Venv = "$Root\build\venv-package"
$Python = "$Venv\Scripts\python.exe"
if (-not (Test-Path $Python)) { Invoke-Checked "py" @("-3", "-m", "venv", $Venv) }
$Version = & $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"

# lanchat from a wheel (not editable), PyInstaller pinned as on Linux (packaging/build.py).
Invoke-Checked $Python @("-m", "pip", "install", "-q", "--upgrade", "pip", "pyinstaller==6.22.3")
Remove-Item -Recurse -Force "build\wheel" -ErrorAction SilentlyContinue
Invoke-Checked $Python @("-m", "pip", "wheel", "-q", "--no-deps", "-w", "build\wheel", ".")
$Wheel = (Get-ChildItem "build\wheel\lanchat-*.whl").FullName
Invoke-Checked $Python @("-m", "pip", "install", "-q", $Wheel)
Invoke-Checked $Python @("-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", $Wheel)

# dist\lanchat\lanchat.exe (windowed) and lanchat-cli.exe (console: --headless, send, history).
Invoke-Checked "$Venv\Scripts\pyinstaller.exe" @("--noconfirm", "--distpath", "dist", "--workpath", "build\pyinstaller", "packaging\lanchat.spec")
Invoke-Checked "$Root\dist\lanchat\lanchat-cli.exe" @("--version")

$Iscc = if ($env:ISCC) { $env:ISCC } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "$Root\packaging\windows\lanchat.iss")

$Setup = Get-Item "dist\lanchat-$Version-windows-x64-setup.exe"
$Seconds = [int]((Get-Date) - $Started).TotalSeconds
Write-Host ("lanchat {0} built in {1} s: {2} ({3:N1} MiB)" -f $Version, $Seconds, $Setup.Name, ($Setup.Length / 1MB))
