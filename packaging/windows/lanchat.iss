; Inno Setup 6 script for lanchat on Windows (x64).
; Built by packaging\windows\build.ps1, which first makes dist\lanchat\ with
; PyInstaller and passes the version: ISCC /DAppVersion=0.1.0 lanchat.iss
; Installs for all users (the firewall rules need an administrator), adds a
; Start-menu entry and an uninstaller, and opens UDP and TCP 48484 to the
; local subnet only, on every network profile (school Wi-Fi is usually
; "Public"). The uninstaller deletes the rules again.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z lanchat.iss
#endif
#define Root "..\.."
#define Port "48484"

[Setup]
AppId={{7C3B9E52-4E0A-4B8C-9F2D-6A1E5D3C8B71}
AppName=lanchat
AppVersion={#AppVersion}
AppVerName=lanchat {#AppVersion}
AppPublisher=The lanchat developers
DefaultDirName={autopf}\lanchat
DefaultGroupName=lanchat
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=lanchat-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\lanchat.ico
UninstallDisplayIcon={app}\lanchat.exe
UninstallDisplayName=lanchat
CloseApplications=yes
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\lanchat\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\lanchat"; Filename: "{app}\lanchat.exe"; Comment: "Chat with people on your network"
Name: "{autodesktop}\lanchat"; Filename: "{app}\lanchat.exe"; Tasks: desktopicon

[Run]
; Delete first so that a reinstall or upgrade does not duplicate the rules.
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""lanchat (UDP {#Port})"""; Flags: runhidden
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""lanchat (TCP {#Port})"""; Flags: runhidden
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""lanchat (UDP {#Port})"" dir=in action=allow protocol=UDP localport={#Port} remoteip=localsubnet profile=any"; Flags: runhidden; StatusMsg: "Allowing lanchat through Windows Firewall..."
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""lanchat (TCP {#Port})"" dir=in action=allow protocol=TCP localport={#Port} remoteip=localsubnet profile=any"; Flags: runhidden; StatusMsg: "Allowing lanchat through Windows Firewall..."
Filename: "{app}\lanchat.exe"; Description: "{cm:LaunchProgram,lanchat}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""lanchat (UDP {#Port})"""; Flags: runhidden; RunOnceId: "lanchatFirewallUdp"
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""lanchat (TCP {#Port})"""; Flags: runhidden; RunOnceId: "lanchatFirewallTcp"
