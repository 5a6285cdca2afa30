public enum CartaStoreModule {}
