package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A saved model's tree bytes are data: reading them back builds smile's model classes and nothing else. */
class FeatureTreesTest {
    @Test
    void aSavedModelHoldingAnyOtherClassIsRefused() throws IOException {
        ByteArrayOutputStream serialised = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(serialised)) {
            oo.writeObject(new File("/etc/passwd"));
        }
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(saved)) {
            out.writeInt(29);
            out.writeInt(serialised.size());
            out.write(serialised.toByteArray());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.toByteArray()));
        assertThrows(IOException.class, () -> FeatureTrees.read(in));
    }
}
