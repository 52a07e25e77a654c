/// The version `fileroom --version` prints, the daemon's start line names and the Debian package carries.
///
/// One constant, so `scripts/package-deb.sh` reads it back from the built binary instead of keeping a second copy.
public enum FileroomVersion {
    public static let current = "0.9.0"
}
