public enum CartaTestSupportModule {}
