package io.fixres.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

public final class Main {
    public static void main(String[] args) {
        System.out.println(Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.println(m.arange(6f).reshape(2, 3).sum());
        }
    }
}
