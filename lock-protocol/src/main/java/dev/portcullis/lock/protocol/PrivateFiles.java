package dev.portcullis.lock.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/** Writes files only their owner can read (0600 where the file system has POSIX permissions), atomically. */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Writes {@code content} to {@code target} through a temporary file in the same directory that is
     * flushed to disk and then renamed over the target, so a reader sees the old or the new content,
     * never a torn one. The file is readable and writable by its owner only.
     *
     * @param replace whether an existing target may be replaced; if false and it exists, fails
     */
    public static void write(Path target, byte[] content, boolean replace) {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        try {
            Files.createDirectories(directory);
            if (!replace && Files.exists(absolute)) {
                throw new FileAlreadyExistsException(absolute.toString(), null, "refusing to overwrite");
            }
            Path temporary = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        ownerOnly(directory))) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                if (replace) {
                    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(temporary, absolute);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + absolute, e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) throws IOException {
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException notSupported) {
            // Not every platform can fsync a directory; the file itself was flushed before the rename.
        }
    }
}
