#!/bin/bash
# Builds OUTDIR/fileroom_<version>_<arch>.deb from a release build, then runs lintian on it when lintian is there.
#
#   bash scripts/package-deb.sh OUTDIR
#
# What goes in (Debian paths): /usr/bin/fileroom (Swift runtime linked statically, so the package depends only
# on Debian's libraries), the systemd unit, sysusers and tmpfiles files under /usr/lib, /etc/fileroom/fileroom.toml
# as a conffile, the man page generated from the argument parser (swift-argument-parser's generate-manual
# tool), bash/zsh/fish completions from the binary itself, and Depends computed by dpkg-shlibdeps.
# The version is the one `fileroom --version` prints (Sources/FileroomCommands/Version.swift).
set -euo pipefail
out=${1:?usage: scripts/package-deb.sh OUTDIR}
cd "$(dirname "$0")/.."
repo=$(pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
bash scripts/install-deps.sh
export OMP_THREAD_LIMIT=1

# A build folder of its own: the static-stdlib flags would otherwise rebuild the developer's .build each time.
scratch="$repo/.build-deb"
swift build -c release --product fileroom --static-swift-stdlib --scratch-path "$scratch" >&2
bin="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/fileroom"
version=$("$bin" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
[ -n "$version" ] || { echo "package-deb: $bin --version printed no version" >&2; exit 1; }

stage=$(mktemp -d /tmp/fileroom-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"

install -D -m 0755 "$bin" "$root/usr/bin/fileroom"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/fileroom"
# Debian 12 keeps units, sysusers and tmpfiles in /lib (usrmerge makes it the same place as /usr/lib).
install -D -m 0644 systemd/fileroom.service "$root/lib/systemd/system/fileroom.service"
install -D -m 0644 systemd/fileroom.sysusers.conf "$root/usr/lib/sysusers.d/fileroom.conf"
install -D -m 0644 systemd/fileroom.tmpfiles.conf "$root/usr/lib/tmpfiles.d/fileroom.conf"
install -D -m 0644 config/fileroom.toml "$root/etc/fileroom/fileroom.toml"

# The man page, from the parser's own description of every command and option (never out of date):
# swift-argument-parser's generate-manual tool (the tool behind its generate-manual plugin) run on the binary just
# built, so the package is not built a second time the way the plugin would.
swift build --scratch-path "$scratch" --product generate-manual >&2
manual_out="$stage/manual"
mkdir -p "$manual_out"
"$scratch/debug/generate-manual" "$bin" --authors "Fileroom maintainers<fileroom@example.org>" \
    --date "$(date -u -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)" +%Y-%m-%d)" \
    --output-directory "$manual_out" >&2
man="$manual_out/fileroom.1"
[ -s "$man" ] || { echo "package-deb: generate-manual wrote no fileroom.1" >&2; exit 1; }
install -D -m 0644 "$man" "$root/usr/share/man/man1/fileroom.1"
gzip -9n "$root/usr/share/man/man1/fileroom.1"

install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d"
# bash-completion sources its files: no #! line (lintian bash-completion-with-hashbang).
"$bin" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/usr/share/bash-completion/completions/fileroom"
"$bin" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_fileroom"
"$bin" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/fileroom.fish"
chmod 0644 "$root"/usr/share/*/completions/fileroom "$root"/usr/share/zsh/vendor-completions/_fileroom \
    "$root"/usr/share/fish/vendor_completions.d/fileroom.fish

doc="$root/usr/share/doc/fileroom"
install -D -m 0644 packaging/debian/copyright "$doc/copyright"
install -m 0644 README.md "$doc/README.md"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -R -u -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")/" \
    packaging/debian/changelog.in | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

# Depends: dpkg-shlibdeps reads the binary's NEEDED libraries and maps them to Debian's packages.
mkdir -p "$stage/debian"
printf 'Source: fileroom\n\nPackage: fileroom\nArchitecture: any\n' >"$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e"root/usr/bin/fileroom" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d -m 0755 "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$shlibs, tesseract-ocr-eng, tesseract-ocr-osd/" \
    -e "s/@SIZE@/$size/" packaging/debian/control.in >"$root/DEBIAN/control"
echo /etc/fileroom/fileroom.toml >"$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f ! -path './etc/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$root/DEBIAN/md5sums"
for script in postinst prerm postrm; do
    install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
done

deb="$out/fileroom_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
if command -v lintian >/dev/null 2>&1; then
    # Errors fail the build; warnings are listed (and justified in the README).
    lintian --fail-on error --tag-display-limit 0 "$deb" >&2
else
    echo "package-deb: lintian is not installed; the package was not checked" >&2
fi
