package dev.portcullis.audit.proof;

import java.util.ArrayList;
import java.util.List;

/** Every complete subtree of a tree held in memory: for tests, tools and exports that verify offline. */
public final class InMemoryTree implements SubtreeSource {

    private final List<List<byte[]>> levels = new ArrayList<>();
    private final CompactTree tree = CompactTree.empty();

    public static InMemoryTree of(List<byte[]> leafHashes) {
        InMemoryTree tree = new InMemoryTree();
        leafHashes.forEach(tree::append);
        return tree;
    }

    public void append(byte[] leafHash) {
        tree.append(leafHash, (level, index, hash) -> {
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(hash);
        });
    }

    public long size() {
        return tree.size();
    }

    public byte[] root() {
        return tree.root();
    }

    @Override
    public byte[] complete(int level, long index) {
        if (level >= levels.size() || index >= levels.get(level).size()) {
            throw new IllegalArgumentException("no complete subtree at level " + level + ", index " + index);
        }
        return levels.get(level).get((int) index);
    }
}
