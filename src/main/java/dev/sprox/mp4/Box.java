package dev.sprox.mp4;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ISO BMFF box (ISO/IEC 14496-12 §4.2). A box sprox looks into is a {@link Container} (its children parsed,
 * with the bytes before them, such as a sample entry's fixed fields, kept as a prefix); every other box is a
 * {@link Leaf} whose payload is kept byte for byte, so writing a parsed tree gives the bytes it came from.
 * {@code largeSize} remembers a 64-bit size field, which writing keeps.
 */
public sealed interface Box permits Box.Leaf, Box.Container {
    String type();

    boolean largeSize();

    /** A box whose payload sprox passes through or reads with one of the typed readers. */
    record Leaf(String type, boolean largeSize, byte[] payload) implements Box {
        public Leaf(String type, byte[] payload) {
            this(type, false, payload);
        }
    }

    /** A box of boxes: {@code prefix} is what comes before the children (empty for pure containers). */
    record Container(String type, boolean largeSize, byte[] prefix, List<Box> children) implements Box {
        public Container {
            children = List.copyOf(children);
        }

        /** The first child of {@code type}. */
        public Optional<Box> child(String childType) {
            return children.stream().filter(b -> b.type().equals(childType)).findFirst();
        }

        public List<Box> all(String childType) {
            return children.stream().filter(b -> b.type().equals(childType)).toList();
        }

        /** The payload of the first leaf child of {@code type}. */
        public Optional<byte[]> leaf(String childType) {
            return child(childType).filter(Leaf.class::isInstance).map(b -> ((Leaf) b).payload());
        }

        public Optional<Container> container(String childType) {
            return child(childType).filter(Container.class::isInstance).map(Container.class::cast);
        }

        public Container withChildren(List<Box> replaced) {
            return new Container(type, largeSize, prefix, replaced);
        }

        public Container withType(String replacedType) {
            return new Container(replacedType, largeSize, prefix, children);
        }

        /** This container without its children of the given types. */
        public Container without(java.util.Set<String> types) {
            var kept = new ArrayList<Box>();
            for (Box child : children) {
                if (!types.contains(child.type())) {
                    kept.add(child);
                }
            }
            return withChildren(kept);
        }
    }
}
