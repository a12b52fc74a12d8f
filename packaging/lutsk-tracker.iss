; Inno Setup 6 script: the Windows installer of «Трекер Плану заходів Стратегії розвитку Луцької громади».
;
; It packs the PyInstaller one-folder build dist\lutsk-tracker\ (lutsk-tracker.exe, the window;
; tracker.exe, the command line; _internal\, Python and Qt) into dist\lutsk-tracker-setup-<version>.exe.
; Build the folder first (python -m PyInstaller --noconfirm packaging/lutsk-tracker.spec), then, from
; the project root:
;
;     ISCC /DAppVersion=0.2.0 packaging\lutsk-tracker.iss
;
; The CI (.github/workflows/windows.yml) passes the version from the package metadata (tracker/__init__.py, read by pyproject.toml);
; the default below is only for a quick local build and is not read anywhere else.
;
; Relative paths here are relative to this file's folder (packaging\), hence the ..\ prefixes.
; This file is UTF-8 with a byte order mark: Inno Setup before 6.3 reads a file without one as ANSI,
; which would garble the Ukrainian names.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
; VersionInfoVersion must be numeric (up to four dot-separated numbers); a version such as 0.2.0rc1
; needs /DAppNumericVersion=0.2.0 beside /DAppVersion=0.2.0rc1.
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#define AppName "Трекер Плану заходів Луцької громади"
#define AppPublisher "Луцька міська рада"
#define AppExe "lutsk-tracker.exe"

[Setup]
; The AppId identifies the program to Windows and to later installers (upgrades install over it, the
; uninstaller is found by it). Never change it. The first brace is doubled: "{{" is a literal "{".
AppId={{FB92F084-A92D-47BE-BE0D-5487DEB5C202}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription=Встановлення програми «Трекер Плану заходів Стратегії розвитку Луцької громади»

; A per-user install without administrator rights: the council's staff usually have none. Setup then
; writes only to the user's profile and HKCU, and {userpf} is %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={userpf}\LutskPlanTracker
; No Start-menu folder to choose: one shortcut goes straight into the user's Programs menu ([Icons]).
DisableProgramGroupPage=yes

; The PyInstaller build is 64-bit; x64compatible also admits Windows 11 on Arm (x64 emulation).
; (These identifiers need Inno Setup 6.3 or later.)
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

SetupIconFile=..\resources\icons\lutsk-tracker.ico
; "Installed apps" in Settings shows the program's own icon, taken from the installed window program.
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
; Setup speaks the language of Windows when it has it; the language dialog only when it has not.
ShowLanguageDialog=auto

OutputDir=..\dist
OutputBaseFilename=lutsk-tracker-setup-{#AppVersion}
; lzma2 in one solid block suits the many small files of a Python/Qt bundle best.
Compression=lzma2
SolidCompression=yes

[Languages]
; Ukrainian first: it is the default when Windows' language is neither of the two.
Name: "ukrainian"; MessagesFile: "compiler:Languages\Ukrainian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
; CreateDesktopIcon and AdditionalIcons are translated in both language files.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled Python and Qt whole: a library left from the previous version in
; _internal\ could be loaded by the new one. Only the program's own folder is touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole PyInstaller folder: both programs and _internal\ with everything under it. ignoreversion:
; every file of a build belongs with that build, so each is replaced whatever its version resource says.
Source: "..\dist\lutsk-tracker\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; Only the window gets shortcuts; tracker.exe (the command line) is run from a console by its full path,
; e.g. "%LOCALAPPDATA%\Programs\LutskPlanTracker\tracker.exe" --help.
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: postinstall nowait skipifsilent

[UninstallDelete]
; The uninstaller removes the files it installed by itself; this only sweeps what may be left in the
; program's folder. It must never reach the user's data: the program keeps its database, backups,
; settings and journal in %LOCALAPPDATA%\LutskCityCouncil\LutskPlanTracker (and version 0.1 kept them
; in %APPDATA%\LutskPlanTracker), outside {app}, so uninstalling, like upgrading, keeps them all.
; {app} itself is removed only if empty: the user may have chosen a folder holding files of their own.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
